"""A damage run: the property-based ingest tests (tests/test_ingest_robustness.py) with many more examples.

    python scripts/damage_run.py [SCALE]      # SCALE multiplies each test's examples (default 10)

Not part of `make test` (it takes long). Prints and writes to test-artifacts/damage-run.json: damaged files
offered, refused, accepted, crashes (ingest raised), hangs (one klein-sized file took over 30 s to check) and
corruptions (a property failed: the database changed for a refused file, or a loaded file was stored wrongly).
"""
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def main(scale: float) -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    junit = ARTIFACTS / "damage-run.xml"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_ingest_robustness.py", "-q", "-p", "no:cacheprovider",
         f"--junitxml={junit}"], cwd=ROOT, env={**os.environ, "HM_DAMAGE_SCALE": str(scale)})
    counts = json.loads((ARTIFACTS / "robustness.json").read_text(encoding="utf-8"))
    failed = [(case.get("name"), (case.find("failure").get("message") or "")[:300])
              for case in ET.parse(junit).getroot().iter("testcase") if case.find("failure") is not None]
    crashes = [f for f in failed if "ingest raised" in f[1]]
    report = {
        "scale": scale, "minutes": round((time.perf_counter() - start) / 60, 1),
        "files": counts["total"], "refused": counts["geweigerd"], "accepted": counts["geladen"],
        "unchanged": counts["al geladen"], "crashes": counts["crashes"], "hangs": counts["hangs"],
        "corruptions": len(failed) - len(crashes), "failed_tests": failed, "per_test": counts["per_test"],
    }
    (ARTIFACTS / "damage-run.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "per_test"}, indent=2, ensure_ascii=False))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0))
