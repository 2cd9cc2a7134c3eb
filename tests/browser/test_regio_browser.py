"""The Regio page in a real browser: the map canvas draws, a click on a gemeente selects it, nothing fails."""
import io
import re

from PIL import Image  # comes with streamlit
from playwright.sync_api import expect

from herstelmonitor import kaart

from tests.browser.conftest import no_errors, screenshot, settle

MAP = '[data-testid="stDeckGlJsonChart"] canvas'


def open_regio(page, app_url):
    page.goto(f"{app_url}/regio")
    settle(page)
    expect(page.get_by_role("heading", name="Regio's en centrumgemeenten")).to_be_visible()
    page.wait_for_selector(MAP, state="visible", timeout=30_000)
    settle(page)


def test_the_map_draws_with_its_legend_and_a_screenshot_is_kept(page, app_url):
    open_regio(page, app_url)
    canvas = page.locator(MAP).first
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    expect(page.locator(".kaart-legenda")).to_contain_text("Aangemelde ouders")
    expect(page.get_by_role("heading", name="Keuzelijst voor het overleg")).to_be_visible()
    no_errors(page)
    # The canvas holds a drawn map, not an empty surface: many colours, and the darkest class is among them
    # (drawn at alpha 220 over white).
    pixels = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    colours = {c for _, c in pixels.getcolors(maxcolors=1_000_000)}
    assert len(colours) > 20
    donker = tuple(round(c * 220 / 255 + 255 * 35 / 255) for c in kaart.PALET_LAST[-1])
    assert any(max(abs(a - b) for a, b in zip(c, donker)) <= 3 for c in colours)
    assert screenshot(page, "regio-kaart.png").stat().st_size > 50_000


def test_clicking_a_gemeente_selects_it_and_opens_its_region(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 1400})
    open_regio(page, app_url)
    canvas = page.locator(MAP).first
    box = canvas.bounding_box()
    # A point in Zuid-Holland, well inside the country at the initial view.
    x, y = box["x"] + box["width"] * 0.36, box["y"] + box["height"] * 0.62
    page.mouse.move(x, y)
    expect(page.locator(".deck-tooltip")).to_contain_text("Aangemelde ouders:")
    page.mouse.click(x, y)
    gekozen = page.locator('[data-testid="stMarkdownContainer"] p', has_text=re.compile(r"^Geselecteerd: "))
    expect(gekozen).to_be_visible(timeout=20_000)
    settle(page)
    regio_naam = gekozen.inner_text().split(" · ")[1]
    assert regio_naam == "Zuid-Holland"
    expect(page.get_by_text(f"Centrumgemeente voor {regio_naam}")).to_be_visible()
    no_errors(page)
