"""End-to-end harness: a real `streamlit run` on the small sample, driven by Debian's Chromium.

Every browser test gets `app_url` (the running server) and Playwright's `page`. Screenshots go to
test-artifacts/ (kept by CI as evidence of what a person sees).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from herstelmonitor import scaleout
from herstelmonitor.browser import ARGS, CHROMIUM, SETTLED, free_port
from herstelmonitor.paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never Playwright's own browser download: Debian's Chromium, without outside requests.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def app_url(sample_db):
    port = free_port()
    env = {**os.environ, "HERSTELMONITOR_DB": str(sample_db)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        scaleout.wait_healthy(url, seconds=60, process=server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def settle(page, timeout: int = 30_000) -> None:
    page.wait_for_function(SETTLED, timeout=timeout, polling=100)


def screenshot(page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/ (Streamlit scrolls inside stMain, so grow the viewport)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, height)})
    settle(page)
    page.wait_for_timeout(1500)  # charts redraw for the new size
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
