"""The benchmark command runs end to end at a small scale and writes its table (no timing asserts)."""
import numpy as np

from herstelmonitor import bench


def test_bench_runs_at_a_small_scale(tmp_path):
    out = tmp_path / "benchmarks.md"
    [row] = bench.run([0.02], out, browser=False)
    assert row["rows"] > 1000 and row["ouders"] > 1000
    assert set(row["pages"]) == set(bench.page_files()) and "dashboard.py" in row["pages"]
    # Every page that shows figures runs named queries; the accessibility statement is text only.
    assert all(p["queries"] > 0 for name, p in row["pages"].items() if "toegankelijkheid" not in name)
    text = out.read_text()
    assert "# Benchmarks" in text and "cores" in text and "scale 0.02" in text
    assert "ingest speed / floor speed" in text and "CPU time: ingest / floor" in text
    assert "computed from the CSV files: DuckDB / pandas" in text and "computed on data in memory" in text


def test_duckdb_from_the_files_gives_the_stored_metrics(sample_db):
    # The like-for-like comparison computes the metrics from the CSV files: the same numbers as ingest stored.
    from datetime import date

    from herstelmonitor import db, metrics

    con = db.connect(sample_db, read_only=True)
    latest = metrics.peildata(con)[-1]
    stored = metrics.metric_table(con, latest, latest)
    con.close()
    computed = bench.duckdb_from_files(sample_db.parent / "extracts", latest)
    key = ["peildatum", "gemeente"]
    a = stored.sort_values(key, na_position="first").reset_index(drop=True)
    b = computed[a.columns].sort_values(key, na_position="first").reset_index(drop=True)
    # The survey (ervaring) metrics are not part of the like-for-like comparison of bench.duckdb_from_files.
    values = [c for c in a.columns if c not in key
              and c not in ("antwoorden", "antwoorden_ja", "antwoorden_deels", "rapportcijfers", "rapportcijfer_som",
                            "geholpen_pct", "deels_pct", "rapportcijfer_gem")]
    assert isinstance(latest, date) and len(a) > 300 and list(a["gemeente"]) == list(b["gemeente"])
    assert np.allclose(a[values].astype(float), b[values].astype(float), equal_nan=True)


def test_the_load_section_is_kept_when_the_bench_table_is_rewritten(tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nnotes by hand\n\n" + bench.section("load", "| load table |"))
    bench.write_section(out, "bench", "| bench table |")
    text = out.read_text()
    assert "notes by hand" in text and "| load table |" in text and "| bench table |" in text
    bench.write_section(out, "bench", "| new bench table |")
    assert "| bench table |" not in out.read_text() and "| load table |" in out.read_text()
