"""Driving Debian's Chromium with Playwright: shared by the browser tests and the benchmark."""
import socket

CHROMIUM = "/usr/bin/chromium"
# No outside requests: this machine and a government network have no internet.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Streamlit is done when the script stopped and no skeleton, spinner or status widget is left.
SETTLED = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return !!a && a.getAttribute('data-test-connection-state') === 'CONNECTED'
    && a.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"],[data-testid="stSpinner"],[data-testid="stStatusWidget"]'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
