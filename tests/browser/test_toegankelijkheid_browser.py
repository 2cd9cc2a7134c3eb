"""axe-core (WCAG 2.0/2.1 A and AA, plus heading order) on every page, for every role, at 1440 and 390 px.

Pages are found in pages/ so a new page is checked without editing this test. One server, one browser page
per role: each page is loaded once and checked at both widths by resizing.
"""
from pathlib import Path

import axe_playwright_python
import pytest

from herstelmonitor.access import DEMO_ROLES
from herstelmonitor.paths import ROOT
from tests.browser.conftest import settle

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
RUN_AXE = """async () => (await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    rules: {'heading-order': {enabled: true}}, resultTypes: ['violations']})).violations"""
WIDTHS = (1440, 390)
# Pages that need a parameter to show their content (everything else opens without one).
PARAMS = {"gemeente": "gemeente=GM0599"}


def page_paths() -> list[str]:
    """URL path of every page: the overview ('') and one per file in pages/."""
    return [""] + sorted(p.stem for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


def summary(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({len(v['nodes'])}x): {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary'][:200]}"
            for v in violations]


@pytest.mark.parametrize("rol", list(DEMO_ROLES))  # the demo offers no beheer role
def test_every_page_passes_axe_for_every_role_at_both_widths(page, app_url, rol):
    found = {}
    for path in page_paths():
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        params = "&".join(filter(None, [f"rol={rol}", PARAMS.get(path)]))
        page.goto(f"{app_url}/{path}?{params}")
        settle(page, 180_000)
        page.wait_for_function("document.documentElement.lang === 'nl'", timeout=60_000)  # set by ui.setup()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            settle(page, 180_000)
            found[f"/{path} @{width}px"] = summary(axe_violations(page))
    assert len(found) == 2 * len(page_paths()) >= 16
    assert not {k: v for k, v in found.items() if v}, {k: v for k, v in found.items() if v}
