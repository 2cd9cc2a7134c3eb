"""The Achtervang page in a real browser: the list with reasons, a threshold changed and reset, the printable
summary downloaded and printed to one A4 page without outside requests."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import no_errors, screenshot, settle

URL = "/achtervang?peildatum=2021-06-30"
LIST_HEADING = re.compile(r"Gemeenten die achtervang nodig hebben \((\d+)\)")


def list_size(page) -> int:
    heading = page.get_by_role("heading", name=LIST_HEADING)
    expect(heading).to_be_visible()
    return int(LIST_HEADING.search(heading.inner_text()).group(1))


def test_achtervang_shows_gemeenten_with_reasons(page, app_url):
    page.goto(app_url + URL)
    settle(page)
    expect(page.get_by_role("heading", name="Achtervang", exact=True)).to_be_visible()
    n = list_size(page)
    assert n > 0
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(f"{n} van 342")
    expect(page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').first).to_be_visible()
    first = page.get_by_role("heading", name=re.compile(r"^1\. "))
    expect(first).to_be_visible()
    reasons = page.locator('[data-testid="stMarkdownContainer"] li').filter(has_text=re.compile(r"(sinds|nieuw op deze peildatum)"))
    assert reasons.count() >= min(n, 20)
    link = page.get_by_role("link", name=re.compile(r"^Naar (?!de inhoud)")).first  # not the skip link
    assert re.fullmatch(r".*gemeente\?gemeente=GM\d{4}&peildatum=2021-06-30", link.get_attribute("href"))
    no_errors(page)
    assert screenshot(page, "achtervang.png").stat().st_size > 20_000


def test_the_map_shows_the_gemeenten_and_their_signals_on_hover(page, app_url):
    page.goto(app_url + URL)
    settle(page)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    expect(canvas).to_be_visible()
    expect(page.get_by_text(re.compile(r"Achtervang nodig \(\d+ gemeenten?\)"))).to_be_visible()
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # deck.gl draws after the script settled
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the middle of the country
    tooltip = page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text("getroffen ouders", timeout=10_000)
    assert re.search(r"(geen signaal|Niet aangesloten|Laag bereik|Trage start|Stilstand)", tooltip.inner_text())
    no_errors(page)


def test_a_changed_threshold_changes_the_list_and_reset_restores_it(page, app_url):
    page.goto(app_url + URL)
    settle(page)
    before = list_size(page)
    page.get_by_text("Drempels van de signalen").click()
    field = page.get_by_label("Bereik lager dan (%)")
    field.fill("70")
    field.press("Enter")
    expect(page.get_by_text("Aangepaste drempels:")).to_be_visible()
    settle(page)
    assert list_size(page) > before
    page.get_by_role("button", name=re.compile("Standaarddrempels herstellen")).click()
    expect(page.get_by_text("Aangepaste drempels:")).to_have_count(0)
    settle(page)
    assert list_size(page) == before
    no_errors(page)


def test_printable_summary_prints_on_one_a4_page_without_outside_requests(page, app_url, browser):
    page.goto(app_url + URL)
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Samenvatting om te printen")).click()
    download = info.value
    assert download.suggested_filename == "achtervang_2021-06-30.html"
    summary = open(download.path(), encoding="utf-8").read()
    assert "peildatum <strong>30 juni 2021</strong>" in summary
    printer = browser.new_page()
    requests = []
    printer.on("request", lambda r: requests.append(r.url))
    printer.set_content(summary)
    pdf = printer.pdf(prefer_css_page_size=True)
    printer.close()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    assert requests == []


def test_the_list_downloads_as_csv_with_reasons(page, app_url):
    page.goto(app_url + URL)
    settle(page)
    n = list_size(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("CSV downloaden")).first.click()  # the list (then series, early warning)
    assert info.value.suggested_filename == "achtervang_2021-06-30.csv"
    text = open(info.value.path(), encoding="utf-8-sig").read()
    bron, *lines = text.strip().splitlines()
    assert bron.startswith("# Bron: ") and "Peildatum: 30-06-2021" in bron
    assert lines[0].startswith("Peildatum;Filter;Rang;Gemeentecode;Gemeente;Provincie;Getroffen ouders (gegevens gedeeld)")
    assert len(lines) == n + 1 and lines[1].startswith("30-06-2021;geen (alle provincies, alle signalen);1;GM")
    assert "ouders" in lines[1] and not re.search(r"\bOU[0-9A-F]{10}\b", text)  # no parent id
