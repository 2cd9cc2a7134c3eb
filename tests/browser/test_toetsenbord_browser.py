"""Keyboard journeys: everything below is done with the keyboard only (no mouse clicks)."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import no_errors, settle


def tab_to(page, locator, limit: int = 400) -> None:
    """Press Tab until `locator` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("never reached with Tab")


def test_choose_a_peildatum_with_the_keyboard(page, app_url):
    page.goto(app_url)
    settle(page, 120_000)
    chooser = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Peildatum")
    tab_to(page, chooser.locator("input"))
    page.keyboard.type("30 juni 2021")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*peildatum=2021-06-30.*"))
    settle(page, 120_000)
    expect(page.locator('[data-testid="stCaptionContainer"]').filter(has_text="30 juni 2021").first).to_be_visible()
    no_errors(page)


def open_list(page, title: str):
    summary = page.locator("summary").filter(has_text=f"{title}: als lijst")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    table = page.locator("table.hm-lijst").first
    expect(table).to_be_visible()
    return table


def test_open_a_gemeente_from_the_table_with_the_keyboard(page, app_url):
    page.goto(f"{app_url}/deelname")
    settle(page, 120_000)
    table = open_list(page, "Alle gemeenten")
    first = table.locator("tbody a").first
    name = first.inner_text()
    tab_to(page, first)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/gemeente\?gemeente=GM\d{4}.*"))
    settle(page, 120_000)
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    no_errors(page)


def test_the_map_list_view_sorts_with_the_keyboard(page, app_url):
    page.goto(f"{app_url}/achtervang")
    settle(page, 120_000)
    table = open_list(page, "De kaart")
    assert table.locator("tbody tr").count() == 342
    sorter = page.locator('[data-testid="stSelectbox"]').filter(has_text="Sorteer op").locator("input")
    tab_to(page, sorter)
    page.keyboard.type("Getroffen ouders")
    page.keyboard.press("Enter")
    settle(page, 120_000)
    toggle = page.get_by_label("Hoog naar laag / Z-A")
    tab_to(page, toggle)
    page.keyboard.press("Space")
    settle(page, 120_000)
    table = page.locator("table.hm-lijst").first
    expect(table.locator("caption")).to_contain_text("gesorteerd op getroffen ouders (aflopend)")
    shown = [t.replace(".", "") for t in table.locator("tbody tr td:nth-of-type(3)").all_inner_texts()[:20]]
    numbers = [int(t) for t in shown if t.isdigit()]
    assert numbers and numbers == sorted(numbers, reverse=True)
    no_errors(page)
