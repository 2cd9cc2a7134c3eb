"""Buiten de boot in a real browser: from the overview in one click to the funnel, its trend, the gemeenten
holding most of each step, and in a second click to such a gemeente's page."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import no_errors, screenshot, settle


def test_from_the_overview_to_a_gemeente_in_two_clicks(page, app_url):
    page.goto(app_url + "/?peildatum=2021-06-30")
    settle(page, timeout=90_000)
    page.get_by_role("link", name=re.compile(r"^Naar Buiten de boot")).click()
    page.wait_for_url(re.compile(r".*buiten_de_boot\?peildatum=2021-06-30"))
    settle(page, timeout=90_000)  # the funnel over every peildatum, computed once per data version
    expect(page.get_by_role("heading", name="Buiten de boot", exact=True)).to_be_visible()
    value = page.locator('[data-testid="stMetricValue"]').first
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", value.inner_text())  # how many, Dutch thousands
    expect(page.get_by_text(re.compile(r"Sinds de vorige peildatum: \*?\*?(beter|slechter|gelijk)"))).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').first).to_be_visible()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 2  # funnel and trend
    expect(page.get_by_role("heading", name="Niet bereikbaar")).to_be_visible()
    no_errors(page)
    assert screenshot(page, "buiten_de_boot.png").stat().st_size > 20_000
    link = page.get_by_role("link", name=re.compile(r"^[^:]+: (\d|<)")).first  # where: a gemeente of a step
    name = link.inner_text().split(":")[0]
    assert re.fullmatch(r".*gemeente\?gemeente=GM\d{4}&peildatum=2021-06-30", link.get_attribute("href"))
    link.click()
    page.wait_for_url(re.compile(r".*gemeente\?gemeente=GM\d{4}"))
    settle(page, timeout=90_000)
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    no_errors(page)
