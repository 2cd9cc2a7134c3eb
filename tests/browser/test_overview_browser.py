"""The overview in a real browser: the KPI values are visible and nothing failed."""
import re

from playwright.sync_api import expect

from herstelmonitor.paths import ROOT
from herstelmonitor.ui import PAGES
from tests.browser.conftest import no_errors, screenshot, settle


def test_overview_shows_kpi_values(page, app_url):
    page.goto(app_url)
    settle(page)
    expect(page.get_by_role("heading", name="Herstelmonitor").first).to_be_visible()
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values.first).to_be_visible()
    texts = values.all_inner_texts()
    assert len(texts) >= 14
    # The sample at 5% of national size: thousands written the Dutch way, e.g. "3.419".
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", texts[0]), texts[0]
    # The forecast's answer: a date range for everyone's first check, recent waiting next to all-time.
    expect(page.get_by_text("Eerste toets: iedereen klaar")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Wachttijd tot de eerste toets: \d+ dagen voor wie"))).to_be_visible()
    no_errors(page)
    assert screenshot(page, "overzicht.png").stat().st_size > 10_000


def test_menu_opens_over_de_cijfers_with_the_peildatum(page, app_url):
    page.goto(f"{app_url}/?peildatum=2021-06-30")
    settle(page)
    page.get_by_role("link", name="Over de cijfers").click()
    page.wait_for_url(re.compile(r".*over_de_cijfers.*peildatum=2021-06-30"))
    settle(page)
    expect(page.get_by_role("heading", name="Definities")).to_be_visible()
    no_errors(page)


def test_every_page_draws_without_any_outside_request(page, app_url):
    """A closed government network has no internet: no basemap, font or icon may come from outside."""
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        (app_url, "data:", "blob:", "about:")) else None)
    page.goto(app_url)
    settle(page)
    labels = [label for file, label, _ in PAGES if (ROOT / file).exists() and file != "pages/upload.py"]
    for label in labels[1:]:
        page.get_by_role("link", name=label).first.click()
        expect(page.get_by_role("heading").first).to_be_visible()
        settle(page)
        page.wait_for_timeout(500)  # late requests: map tiles, fonts
        no_errors(page)
    assert len(labels) >= 7
    assert not outside, outside
