"""Deelname gemeenten and the gemeente page in a real browser: the coordinator's two clicks, opening a
gemeente from the table by its link, sorting by a column, and the charts a briefing uses."""
import re

from playwright.sync_api import expect

from herstelmonitor import db, metrics
from tests.browser.conftest import no_errors, screenshot, settle

FIGURE_SPACE = "\u2007"
# What a cell shows instead of a figure: hidden by the small-count rule ("<5", "-") or missing ("–").
NO_FIGURE = ("-", "–", "<5")


def gemeente_table(page):
    return page.locator('[data-testid="stDataFrame"]').last


def column_index(page, title: str) -> int:
    """The position of a column in the gemeente table, found by its header (columns move as pages grow)."""
    headers = gemeente_table(page).locator("th[aria-colindex]")
    for i in range(headers.count()):
        if headers.nth(i).inner_text().strip().startswith(title):
            return int(headers.nth(i).get_attribute("aria-colindex"))
    raise AssertionError(f"no column {title!r} in {headers.all_inner_texts()}")


def column_texts(page, index: int) -> list[str]:
    """The texts of one column of the gemeente table (Glide keeps an accessible copy of the cells)."""
    return gemeente_table(page).locator(f'td[aria-colindex="{index}"]').all_inner_texts()


def low_reach(sample_db, provincie: str) -> set[str]:
    con = db.connect(sample_db, read_only=True)
    try:
        p = metrics.peildata(con)[-1]
        sig = metrics.signals(con, p, p)
    finally:
        con.close()
    return set(sig.loc[(sig["provincienaam"] == provincie) & sig["laag_bereik"], "gemeentenaam"])


def test_two_clicks_then_open_a_gemeente_by_its_link(page, app_url, sample_db):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{app_url}/deelname")
    settle(page)
    expect(page.get_by_role("heading", name="Deelname gemeenten")).to_be_visible()
    # Click 1: the provincie. Click 2: only gemeenten whose reach after eight weeks is below half.
    page.locator('[data-testid="stRadio"]').get_by_text("Zuid-Holland", exact=True).click()
    settle(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Laag bereik", exact=True).click()
    expected = low_reach(sample_db, "Zuid-Holland")
    expect(page.get_by_text(f"{len(expected)} van 342 gemeenten")).to_be_visible()
    settle(page)
    no_errors(page)
    expect(gemeente_table(page).locator('td[aria-colindex="1"]')).to_have_count(len(expected))  # grid redrawn
    assert set(column_texts(page, 1)) == expected and expected
    reach = [t.strip(FIGURE_SPACE + "%") for t in column_texts(page, 5)]  # Bereik na acht weken
    shown = [float(t.replace(",", ".")) for t in reach if t not in NO_FIGURE]
    assert shown and all(v < 50 for v in shown), reach
    first = column_texts(page, 1)[0]
    # The table's link opens the gemeente's own page, in a new tab, with an address that can be shared.
    grid = gemeente_table(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    link = (box["x"] + 200 + 25, box["y"] + 36 + 17)  # first row, "Pagina" (after the 200 px name column)
    page.mouse.move(*link)
    with page.context.expect_page() as opened:
        page.mouse.click(*link)
    gemeente = opened.value
    gemeente.wait_for_load_state()
    assert re.search(r"/gemeente\?gemeente=GM\d{4}&peildatum=2023-12-31$", gemeente.url)
    settle(gemeente)
    expect(gemeente.get_by_role("heading", name=first, exact=True)).to_be_visible()
    expect(gemeente.get_by_text("Achtervang nodig")).to_be_visible()
    no_errors(gemeente)
    assert gemeente.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').count() >= 6
    assert screenshot(gemeente, "gemeente.png").stat().st_size > 10_000


def test_numbers_sort_by_value_in_the_browser(page, app_url):
    """Glide sorts a text column with localeCompare: the padded texts come out in numeric order."""
    page.set_viewport_size({"width": 2600, "height": 1000})  # wide: the grid keeps only visible columns
    page.goto(f"{app_url}/deelname")
    settle(page)
    page.locator('[data-testid="stRadio"]').get_by_text("Utrecht", exact=True).click()
    expect(page.get_by_text("26 van 342 gemeenten")).to_be_visible(timeout=60_000)  # a busy machine
    settle(page)
    page.wait_for_function("""() => { const grids = document.querySelectorAll('[data-testid="stDataFrame"]');
        const cells = [...grids[grids.length - 1].querySelectorAll('td[aria-colindex="3"]')].map(td => td.innerText);
        return cells.length > 10 && cells.every(t => t === 'Utrecht'); }""")  # the grid is redrawn
    for title in ("Bereik na acht weken", "Gegevens gedeeld"):
        texts = column_texts(page, column_index(page, title))
        ordered = page.evaluate("xs => xs.slice().sort((a, b) => a.localeCompare(b))", texts)
        numbers = [t.strip(FIGURE_SPACE + "%") for t in ordered]
        shown = [n for n in numbers if n not in NO_FIGURE]
        values = [float(n.replace(".", "").replace(",", ".")) for n in shown]
        assert values == sorted(values) and len(values) >= 3
        assert numbers[: len(numbers) - len(shown)] == [n for n in numbers if n in NO_FIGURE]  # hidden first
    assert screenshot(page, "deelname.png").stat().st_size > 10_000
    assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').count() >= 6
    no_errors(page)


def test_unknown_gemeente_code_says_so(page, app_url):
    page.goto(f"{app_url}/gemeente?gemeente=GM9999")
    settle(page)
    expect(page.get_by_text("Gemeentecode GM9999 staat niet in de lijst")).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
