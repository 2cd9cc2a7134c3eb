"""Parent experience in a real browser, on the small sample (with its survey): the scatter of gemeenten
with the list beside it, and the page Samenhang compensatie en ondersteuning."""
from playwright.sync_api import expect

from herstelmonitor.ervaring import PROCESS

from tests.browser.conftest import no_errors, screenshot, settle


def test_scatter_of_gemeenten_with_the_gap_list(page, app_url):
    page.goto(f"{app_url}/ervaring?peildatum=2023-12-31")
    settle(page)
    expect(page.get_by_role("heading", name="Ervaring van ouders").first).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').first).to_be_visible()
    # the scatter: one marker per gemeente with enough answers
    assert page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').count() >= 5
    reach = PROCESS["bereik_pct"][0].lower()  # the glossary's name, "bereik na acht weken"
    expect(page.get_by_text(f"Grootste verschil tussen {reach} en ervaring")).to_be_visible()
    page.get_by_text("Ondersteuning afgerond", exact=True).click()
    settle(page)
    expect(page.get_by_text("Grootste verschil tussen ondersteuning afgerond en ervaring")).to_be_visible()
    no_errors(page)
    assert screenshot(page, "ervaring.png").stat().st_size > 10_000


def test_samenhang_page_draws_its_charts(page, app_url):
    page.goto(f"{app_url}/samenhang?peildatum=2023-12-31")
    settle(page)
    expect(page.get_by_role("heading", name="Samenhang compensatie en ondersteuning").first).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').count() >= 2
    expect(page.get_by_text("Ja, sneller")).to_be_visible()
    no_errors(page)
    assert screenshot(page, "samenhang.png").stat().st_size > 10_000
