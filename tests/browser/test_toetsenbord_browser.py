"""Keyboard journeys: what a mouse user does, done with the keyboard only (Tab, Enter, Space, arrow keys, typing).

No .click() anywhere: focus moves with Tab from the top of the page, as a keyboard user's would. Each journey
asserts where it ends (URL, heading, values shown), so a step that a keyboard cannot take fails the test.
"""
import re
from urllib.parse import parse_qs, urlparse

from herstelmonitor.toegankelijk import getal_van
from tests.browser.conftest import no_errors, settle

ACTIVE = "() => { const el = document.activeElement; return !!el && (%s); }"


def focus_text(page) -> str:
    return page.evaluate("() => { const el = document.activeElement; return el ? (el.innerText || el.value || "
                         "el.getAttribute('aria-label') || el.tagName) : ''; }")


def tab_to(page, predicate: str, what: str, max_presses: int = 400, shift: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches the JS `predicate` (on `el`); the presses used."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        if page.evaluate(ACTIVE % predicate):
            return presses
    raise AssertionError(f"{what}: not reached with {max_presses} Tab presses (focus on {focus_text(page)!r})")


def selectbox(label: str) -> str:
    """The predicate for the input of the Streamlit selectbox with this label."""
    return ("el.tagName === 'INPUT' && !!el.closest('[data-testid=\"stSelectbox\"]') && "
            f"el.closest('[data-testid=\"stSelectbox\"]').querySelector('label').innerText.trim() === {label!r}")


def choose(page, text: str) -> None:
    """In a focused selectbox: open the list, type to narrow it, take the first match."""
    page.keyboard.press("ArrowDown")
    page.keyboard.type(text)
    page.wait_for_selector('[role="option"]', timeout=10_000)
    page.keyboard.press("Enter")


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_page(page, url: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url)
    settle(page, 120_000)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=30_000)


def test_choose_a_peildatum_with_the_keyboard(page, app_url):
    open_page(page, f"{app_url}/deelname")
    assert query(page)["peildatum"] == "2023-12-31"  # the latest, by default
    before = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    tab_to(page, selectbox("Peildatum"), "the peildatum chooser")
    choose(page, "juni 2022")
    page.wait_for_function("() => location.search.includes('peildatum=2022-06-30')", timeout=30_000)
    settle(page, 120_000)
    no_errors(page)
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    assert "peildatum 30 juni 2022" in caption
    after = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert len(after) == len(before) and after != before  # the figures followed the chosen peildatum
    # The choice follows to the next page, reached with the keyboard through the menu.
    tab_to(page, "el.tagName === 'A' && el.innerText.trim().endsWith('Tempo compensatie')", "menu link Tempo",
           shift=True)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/tempo')", timeout=30_000)
    settle(page, 120_000)
    assert query(page)["peildatum"] == "2022-06-30"
    assert "30 juni 2022" in page.locator('[data-testid="stMain"]').inner_text()


def open_list_view(page, title: str) -> None:
    """Tab to the list view's expander and open it with Enter."""
    tab_to(page, f"el.tagName === 'SUMMARY' && el.innerText.includes({title + ': als lijst'!r})",
           f"the list view '{title}'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('details').open", timeout=10_000)
    # The list is made when it is opened (it is not sent with every view): wait for it to arrive.
    page.wait_for_selector("table.hm-lijst a", timeout=60_000)
    settle(page, 120_000)
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'SUMMARY'",
                           timeout=10_000)


def follow_first_link(page) -> tuple[str, str]:
    """Tab to the first gemeente link of the open list view and follow it with Enter; its name and code."""
    tab_to(page, "el.tagName === 'A' && !!el.closest('table.hm-lijst')", "the first gemeente link")
    naam = page.evaluate("() => document.activeElement.innerText.trim()")
    code = parse_qs(urlparse(page.evaluate("() => document.activeElement.href")).query)["gemeente"][0]
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/gemeente')", timeout=30_000)
    settle(page, 120_000)
    return naam, code


def test_open_a_gemeente_from_the_deelname_table_with_the_keyboard(page, app_url):
    open_page(page, f"{app_url}/deelname?peildatum=2023-06-30")
    open_list_view(page, "Alle gemeenten")
    naam, code = follow_first_link(page)
    assert re.fullmatch(r"GM\d{4}", code)
    no_errors(page)
    assert query(page)["gemeente"] == code
    assert query(page)["peildatum"] == "2023-06-30"  # the chosen peildatum came along
    assert page.locator("h1").first.inner_text().strip() == naam


def test_operate_the_map_list_view_with_the_keyboard(page, app_url):
    open_page(page, f"{app_url}/regio")
    open_list_view(page, "De kaart")
    tabel = page.locator("table.hm-lijst")
    assert "gesorteerd op gemeente" in tabel.locator("caption").inner_text()
    # Sort on the number of registered parents, high to low: the selectbox, then the toggle with Space.
    tab_to(page, selectbox("Sorteer op"), "the sort column")
    choose(page, "Aangemelde ouders")
    page.wait_for_function("() => document.querySelector('table.hm-lijst caption').innerText"
                           ".includes('gesorteerd op aangemelde ouders')", timeout=30_000)
    settle(page, 120_000)
    tab_to(page, "el.getAttribute('role') === 'switch' || el.type === 'checkbox'", "the high-to-low toggle")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('table.hm-lijst caption').innerText.includes('(aflopend)')",
                           timeout=30_000)
    settle(page, 120_000)
    kolommen = tabel.locator("thead th").all_inner_texts()
    i = kolommen.index("Aangemelde ouders")
    waarden = [getal_van(r.locator("th, td").nth(i).inner_text())
               for r in tabel.locator("tbody tr").all()[:20]]
    assert waarden == sorted(waarden, reverse=True) and waarden[0] > waarden[-1]
    # Follow the first link: the gemeente with the most registered parents.
    naam, code = follow_first_link(page)
    no_errors(page)
    assert query(page)["gemeente"] == code
    assert page.locator("h1").first.inner_text().strip() == naam


def test_on_a_phone_the_menu_opens_with_the_keyboard_and_closes_after_choosing_a_page(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/?peildatum=2023-06-30")
    settle(page, 120_000)
    sidebar_right = "() => Math.round(document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right)"
    assert page.evaluate(sidebar_right) <= 0  # closed on a phone
    tab_to(page, "el.tagName === 'BUTTON' && !!el.closest('[data-testid=\"stExpandSidebarButton\"], "
                 "[data-testid=\"stSidebarCollapsedControl\"]')", "the menu button", max_presses=40)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({sidebar_right})() > 200", timeout=10_000)  # the menu covers the page
    # The menu comes before the page in the document: back from the menu button into it.
    tab_to(page, "el.tagName === 'A' && el.innerText.trim().endsWith('Deelname gemeenten')", "menu link Deelname",
           max_presses=40, shift=True)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/deelname')", timeout=30_000)
    settle(page, 120_000)
    page.wait_for_function(f"() => ({sidebar_right})() <= 0", timeout=10_000)  # closed again: the page is visible
    assert query(page)["peildatum"] == "2023-06-30"
    assert page.locator("h1").first.inner_text().strip() == "Deelname gemeenten"
