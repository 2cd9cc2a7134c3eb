"""The Tempo compensatie page in a real browser: the answer is readable and every chart is drawn."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import no_errors, screenshot, settle


def test_tempo_page_draws_its_charts_with_the_answer(page, app_url):
    page.goto(f"{app_url}/tempo?peildatum=2021-03-11")
    expect(page.get_by_role("heading", name="Tempo compensatie")).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_text("doeldatum 31 december 2021")).to_be_visible()
    expect(page.get_by_text("Brede band:")).to_be_visible()
    charts = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg')
    expect(charts.first).to_be_visible()
    # Five charts (forecast, back-test, flows, backlog, lead times), each with drawn lines.
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 5
    for i in range(5):
        chart = page.locator('[data-testid="stPlotlyChart"]').nth(i)
        chart.scroll_into_view_if_needed()
        expect(chart.locator(".main-svg").first).to_be_visible()
        assert chart.locator(".scatterlayer .trace path.js-line").count() >= 2
    # Dutch numbers and dates on the axes and in the answer.
    flows = page.locator('[data-testid="stPlotlyChart"]').nth(2)
    ticks = flows.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
    assert ticks and all(re.fullmatch(r"\d{2}-\d{2}-\d{4}", t) for t in ticks), ticks
    assert page.get_by_text("Catshuisregeling (22-12-2020)").first.is_visible()
    value = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", value), value
    no_errors(page)
    assert screenshot(page, "tempo.png").stat().st_size > 50_000


def test_tempo_page_follows_the_filters(page, app_url):
    page.goto(f"{app_url}/tempo?peildatum=2021-03-11")
    settle(page)
    before = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    page.get_by_label("Per").get_by_text("Maand").click()
    expect(page.get_by_role("heading", name="Stromen per maand")).to_be_visible()
    settle(page)
    page.get_by_role("combobox", name=re.compile("Provincie")).click()
    page.get_by_role("option", name="Flevoland").click()
    expect(page.get_by_text("in Flevoland").first).to_be_visible()
    settle(page)
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() != before
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').first.is_visible()
    no_errors(page)


def test_a_typed_target_date_applies_on_enter(page, app_url):
    page.goto(f"{app_url}/tempo?peildatum=2023-12-31")
    settle(page)
    expect(page.get_by_text("doeldatum 31 december 2024")).to_be_visible()
    expect(page.get_by_text("Aanmelden is gesloten sinds 31 december 2023")).to_be_visible()
    expect(page.get_by_text(re.compile(r"in \d+ van de \d+ eerdere voorspellingen"))).to_be_visible()
    # Streamlit's date field is three spin buttons (day, month, year): type the date into them as a
    # keyboard user does.
    day = page.get_by_role("spinbutton", name="day, Doeldatum")
    day.click()
    page.keyboard.type("30062025")
    # Enter on the form's button applies the typed date (keyboard only, no mouse).
    page.get_by_role("button", name="Toepassen").press("Enter")
    expect(page.get_by_text("doeldatum 30 juni 2025")).to_be_visible(timeout=30_000)
    settle(page)
    no_errors(page)
    assert screenshot(page, "tempo_2023-12-31.png").stat().st_size > 50_000
