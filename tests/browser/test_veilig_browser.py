"""Values from the URL are shown as text in the browser, never as a live link (issue 16, item 5)."""
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import settle

EVIL = "[Log opnieuw in](https://evil.example/login)"


def test_a_link_in_the_url_is_shown_as_text(page, app_url):
    page.goto(f"{app_url}/gemeente?gemeente={quote(EVIL)}")
    settle(page)
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_contain_text(EVIL)  # the value as typed, brackets and all
    assert page.locator('a[href*="evil.example"]').count() == 0
