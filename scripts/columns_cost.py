"""How the cost of checking a file grows with its number of columns (issue 16: it used to grow with the square).

Writes an aanmeldingen extract of N rows (the klein rows repeated with fresh ids) with k extra columns, and
times ingest's check of it for several k; beyond the contract plus EXTRA_COLUMNS the file is refused before
its rows are read. Usage: python scripts/columns_cost.py [ROWS]
"""
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from herstelmonitor.ingest import ingest  # noqa: E402
from herstelmonitor.validate import EXTRA_COLUMNS  # noqa: E402

KLEIN = ROOT / "tests" / "fixtures" / "klein" / "aanmeldingen_2021-06-30.csv"


def extract(path: Path, rows: int, extra: int) -> Path:
    header, *records = list(csv.reader(io.StringIO(KLEIN.read_text())))
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header + [f"extra_{i}" for i in range(extra)])
        for n in range(rows):
            rec = list(records[n % len(records)])
            rec[0] = f"ID{n:08d}"
            w.writerow(rec + [str(n % 97)] * extra)
    return path


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for extra in (0, 10, 20, 40, EXTRA_COLUMNS + 1, 800, 3000):
            path = extract(work / "aanmeldingen_2021-09-30.csv", rows, extra)
            start = time.perf_counter()
            [r] = ingest([path], work / f"db-{extra}.duckdb")
            took = time.perf_counter() - start
            print(f"{extra:5d} extra columns: {took:6.2f} s  {r.outcome}"
                  + (f" ({r.messages[0][:70]}...)" if r.outcome == "geweigerd" else ""))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
