"""The benchmark command runs end to end at a small scale and writes its table (no timing asserts)."""
from herstelmonitor import bench


def test_bench_runs_at_a_small_scale(tmp_path):
    out = tmp_path / "benchmarks.md"
    [row] = bench.run([0.02], out, browser=False)
    assert row["rows"] > 1000 and row["ouders"] > 1000
    assert set(row["pages"]) == set(bench.page_files()) and "dashboard.py" in row["pages"]
    assert all(p["queries"] > 0 for p in row["pages"].values())
    text = out.read_text()
    assert "# Benchmarks" in text and "cores" in text and "scale 0.02" in text
    assert "ingest speed / floor speed" in text and "pandas time / our time" in text
