"""Process CPU time per warm run of some pages under AppTest, median of 5 after 2 warm-up runs, to compare two
checkouts on the same machine: `python scripts/cpu_per_page.py REPO DB page...` (DB ingested by REPO's own code).
CPU time rather than wall time, because this machine is shared and wall time holds waiting for a core."""
import os
import sys
import time

repo, dbp, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
os.environ["HERSTELMONITOR_DB"] = dbp
sys.path.insert(0, repo)
os.chdir(repo)
from streamlit.testing.v1 import AppTest  # noqa: E402 (after the database is chosen)

for page in pages:
    at = AppTest.from_file(f"{repo}/dashboard.py", default_timeout=300)
    at.run()
    if page != "dashboard.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    for _ in range(2):
        at.run()
    runs = []
    for _ in range(5):
        t = time.process_time()
        at.run()
        runs.append(time.process_time() - t)
    runs.sort()
    print(f"{page}: median {1000 * runs[2]:.0f} ms CPU (min {1000 * runs[0]:.0f})", flush=True)
