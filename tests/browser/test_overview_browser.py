"""The overview in a real browser: the KPI values are visible and nothing failed."""
import re

from playwright.sync_api import expect

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
