"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock), started and stopped here on a
free loopback port, and a Streamlit server whose [auth] points at it; Chromium signs in through the
provider's own form. The role comes from config/rollen.toml (the file the app reads by default).

The secrets file is written for this test only, in a temporary folder, and passed to the server with
`--secrets.files`; the repository's .streamlit/secrets.toml is neither read nor written.
"""
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from herstelmonitor.browser import free_port
from herstelmonitor.paths import ROOT
from herstelmonitor.veilig import WOORDVERBINDER
from tests.browser.conftest import settle


def signed_in_as(text: str) -> re.Pattern:
    """The sidebar's sign-in line; the address is shown with a word joiner before '@' (no mail link)."""
    return re.compile("^Ingelogd als " + re.escape(text).replace("@", f"{WOORDVERBINDER}?@") + "$")

LOOPBACK = "127.0.0.1"


@contextmanager
def running(command: list[str], health: str, env: dict | None = None, expect_text: bytes | None = None):
    """Start a server process, wait until `health` answers (with `expect_text` in it), stop it afterwards."""
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                body = urllib.request.urlopen(health, timeout=2).read()
                if expect_text is None or expect_text in body:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{command[2]} did not start")
            time.sleep(0.3)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free loopback port: its issuer URL."""
    port = free_port()
    issuer = f"http://{LOOPBACK}:{port}"
    with running([sys.executable, "-m", "oidc_provider_mock", "--host", LOOPBACK, "--port", str(port)],
                 f"{issuer}/.well-known/openid-configuration", expect_text=b"authorization_endpoint"):
        yield issuer


@pytest.fixture(scope="module")
def signed_app(provider, sample_db, tmp_path_factory):
    """The dashboard with sign-in on, pointed at the provider by a test-only secrets file."""
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    folder = tmp_path_factory.mktemp("oidc")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "herstelmonitor-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid email profile" }\n')
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", LOOPBACK, "--browser.gatherUsageStats", "false",
               "--secrets.files", str(secrets_file)]
    with running(command, f"{url}/_stcore/health", env={"HERSTELMONITOR_DB": str(sample_db)}, expect_text=b"ok"):
        yield url


@pytest.fixture
def closed_page(page):
    """The browser page with every request outside this machine refused (the provider's form links a
    stylesheet on a CDN): what is tested must work on a closed network."""
    def only_loopback(route):
        if urlparse(route.request.url).hostname in (LOOPBACK, "localhost"):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", only_loopback)
    return page


def sign_in(page, app_url: str, provider: str, email: str) -> None:
    """Open the app, click Inloggen, type `email` as the subject on the provider's form and authorize."""
    page.goto(app_url)
    settle(page)
    expect(page.get_by_text("Log in met uw organisatieaccount")).to_be_visible()
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app_url}/**")
    settle(page)


def test_sign_in_applies_the_role_and_sign_out_ends_the_session(closed_page, signed_app, provider):
    page = closed_page
    sign_in(page, signed_app, provider, "bestuursstaf@example.nl")
    sidebar = page.locator('[data-testid="stSidebar"]')
    # config/rollen.toml: bestuursstaf@example.nl has the role landelijk.
    expect(sidebar.get_by_text(signed_in_as("bestuursstaf@example.nl · Landelijk (staatssecretaris, BAK)"))).to_be_visible()
    expect(page.get_by_role("heading", name="Herstelmonitor").first).to_be_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() > 0  # the figures are shown
    assert page.get_by_text("Demo", exact=False).filter(has_text="voorbeeldgegevens").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    # A role without upload rights: no Beheer page in the menu.
    assert sidebar.get_by_text("Extracten laden").count() == 0

    sidebar.get_by_role("button", name="Uitloggen").click()
    # Streamlit ends the session at the provider too (its end_session_endpoint), then comes back.
    page.wait_for_url(f"{provider}/**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_app}/**")
    settle(page)
    expect(page.get_by_text("Log in met uw organisatieaccount")).to_be_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    page.reload()  # the session cookie is gone: a fresh load asks to sign in again
    settle(page)
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() == 0


def test_a_gemeente_user_gets_the_gemeente_of_the_role_table(closed_page, signed_app, provider):
    page = closed_page
    sign_in(page, signed_app, provider, "herstelteam@rotterdam.example.nl")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(
        signed_in_as("herstelteam@rotterdam.example.nl · Gemeente · GM0599"))).to_be_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() > 0


def test_an_unknown_user_is_refused(closed_page, signed_app, provider):
    page = closed_page
    sign_in(page, signed_app, provider, "onbekend@example.org")
    expect(page.get_by_text(re.compile(f"U bent ingelogd als onbekend{WOORDVERBINDER}?@example\\.org, maar heeft geen rol"))).to_be_visible()
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Ingelogd als").count() == 0
