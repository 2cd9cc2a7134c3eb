"""Values from the URL are shown as text in the browser, never as a live link (issue 16, item 5)."""
from urllib.parse import quote

from playwright.sync_api import expect

from herstelmonitor.veilig import WOORDVERBINDER
from tests.browser.conftest import settle

EVIL = "[Log opnieuw in](https://evil.example/login)"


def test_a_link_in_the_url_is_shown_as_text(page, app_url):
    page.goto(f"{app_url}/gemeente?gemeente={quote(EVIL)}")
    alert = page.locator('[data-testid="stAlertContentError"]')
    # The first page of a fresh server can take long on a busy machine: wait for the message itself.
    expect(alert).to_contain_text("staat niet in de lijst", timeout=120_000)
    settle(page, timeout=120_000)
    # The value as typed, brackets and all (an invisible word joiner keeps the address from being autolinked).
    assert EVIL in alert.inner_text().replace(WOORDVERBINDER, "")
    # No link to the address in the value (links to this page itself carry it in their query string).
    assert page.locator('a[href^="https://evil.example"], a[href^="//evil.example"]').count() == 0
