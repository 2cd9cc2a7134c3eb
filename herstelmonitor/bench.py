"""`python -m herstelmonitor bench`: how fast is the dashboard at national scale and ten times over?

For each scale: build the sample, ingest it (next to DuckDB reading the same files with no checks), time
every page (its named queries uncached, and its full server-side run under AppTest, warm), the full kpis,
a plain-pandas baseline of the same metrics, peak memory, and the cold start in a real browser. Prints one
table and writes it with the date and the machine to docs/benchmarks.md. A command, never a timed test.
"""
import json
from contextlib import contextmanager
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from herstelmonitor import baseline, db, loadtest, metrics, queries
from herstelmonitor.browser import ARGS, CHROMIUM, SETTLED, free_port
from herstelmonitor.ingest import derive, extract_files, ingest, mark_as_sample, swap_in
from herstelmonitor.paths import ROOT
from herstelmonitor.ui import PAGES
from herstelmonitor.warm import warmed_in

PAGE_PARAMS = {"pages/gemeente.py": {"gemeente": "GM0599"}}
RUNS = 5


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm
    return 1000 * statistics.median(timed(fn)[0] for _ in range(runs))


def cpu_now() -> float:
    """CPU seconds (user + system) of this process so far, DuckDB's threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_cpu(fn, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result): on 2 shared cores CPU time says what the work cost."""
    cpu, start = cpu_now(), time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, cpu_now() - cpu, result


def duckdb_from_files(folder: Path, p: date) -> pd.DataFrame:
    """The spec's metrics of peildatum p computed by DuckDB from the same CSV files pandas reads: into an
    in-memory database (no checks, as the pandas baseline), the derived tables made by their queries."""
    con = in_memory(folder, p)
    try:
        return compute_in(con, p)
    finally:
        con.close()


def in_memory(folder: Path, p: date) -> duckdb.DuckDBPyConnection:
    con = db.connect(":memory:")
    db.ensure_schema(con)
    for kind in ("aanmeldingen", "ondersteuning", "deelname"):
        con.execute(f"INSERT INTO {kind} BY NAME SELECT DATE '{p.isoformat()}' AS peildatum, * "
                    f"FROM read_csv('{folder / f'{kind}_{p.isoformat()}.csv'}')")
        con.execute("INSERT INTO bestanden VALUES ($soort, $p, $soort, '', 0, now()::TIMESTAMP, [], false)",
                    {"soort": kind, "p": p})  # the derived tables are made for the loaded peildata
    return con


def compute_in(con: duckdb.DuckDBPyConnection, p: date) -> pd.DataFrame:
    """The metrics computed (not read from the stored table) on extracts already in the database."""
    derive(con, {p})
    return metrics.metric_table(con, p, p)


def compare_pandas(folder: Path, p: date) -> dict:
    """DuckDB against plain pandas, like with like: both from the same CSV files, and both on data already
    in memory (pandas: the frames read; DuckDB: the tables of an in-memory database)."""
    r = {"duckdb_files_ms": median_ms(lambda: duckdb_from_files(folder, p), runs=3),
         "pandas_files_ms": median_ms(lambda: baseline.metrics(folder, p), runs=3)}
    frames = baseline.frames(folder, p)
    r["pandas_memory_ms"] = median_ms(lambda: baseline.compute(*frames, p), runs=3)
    con = in_memory(folder, p)
    r["duckdb_memory_ms"] = median_ms(lambda: compute_in(con, p), runs=3)
    con.close()
    return r


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_seconds(files: list[Path], target: Path) -> float:
    """DuckDB reading the same files straight into tables of a database file, with no checks."""
    con = db.connect(target)
    start = time.perf_counter()
    for f in files:
        kind, peildatum = f.stem.split("_")
        reader = "read_parquet" if f.suffix == ".parquet" else "read_csv"
        con.execute(f"CREATE TABLE IF NOT EXISTS {kind} AS SELECT DATE '{peildatum}' AS peildatum, * "
                    f"FROM {reader}('{f}') LIMIT 0")
        con.execute(f"INSERT INTO {kind} SELECT DATE '{peildatum}', * FROM {reader}('{f}')")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - start


def page_files() -> list[str]:
    return [f for f, _, _ in PAGES if (ROOT / f).exists() and f != "pages/upload.py"]


# Where a page run's CPU goes, by the module of each function (its own time, not its callees').
STAGES = (("query", ("duckdb",)), ("pandas", ("pandas", "numpy", "pyarrow")),
          ("figures", ("plotly", "pydeck", "/json/", "herstelmonitor/kaart", "grafiek", "_chart")),
          ("serialisation", ("streamlit", "protobuf", "hashlib", "_pb2")))
IDLE = ("acquire", "wait", "sleep", "select", "poll", "epoll")


def stage_of(filename: str, function: str) -> str | None:
    """The stage of one profiled function; None for a thread waiting (not CPU)."""
    where = f"{filename} {function}"
    if filename == "~" and any(word in function for word in IDLE):
        return None
    return next((name for name, keys in STAGES if any(k in where for k in keys)), "app and other")


def profiled_run(at) -> dict[str, float]:
    """One run of an AppTest with cProfile in the thread that runs the script: seconds per stage."""
    import cProfile
    import pstats
    import threading

    profile = cProfile.Profile()

    def start_in_thread(*_):
        sys.setprofile(None)
        profile.enable()

    threading.setprofile(start_in_thread)
    try:
        at.run()
    finally:
        threading.setprofile(None)
    stages: dict[str, float] = {}
    for (filename, _, function), (_, _, own, _, _) in pstats.Stats(profile).stats.items():
        name = stage_of(filename, function)
        if name:
            stages[name] = stages.get(name, 0.0) + own
    return stages


def page_timings(dbfile: Path, latest: date) -> dict[str, dict]:
    """Per page: its named queries replayed uncached (ms, median) and its server-side run warm (ms)."""
    from streamlit.testing.v1 import AppTest

    os.environ["HERSTELMONITOR_DB"] = str(dbfile)
    out = {}
    for page in page_files():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        for key, value in {**PAGE_PARAMS.get(page, {}), "peildatum": latest.isoformat()}.items():
            at.query_params[key] = value
        with recording() as recorded:
            at.switch_page(page).run() if page != "dashboard.py" else at.run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        con = db.connect(dbfile.resolve(), read_only=True)
        query_ms = median_ms(lambda: [con.execute(queries.sql(n), p).df() for n, p in recorded])
        con.close()
        out[page] = {"queries": len(recorded), "queries_ms": query_ms, "page_ms": median_ms(at.run),
                     "stages": profiled_run(at)}
    return out


@contextmanager
def recording():
    """The named queries the dashboard reads from the database meanwhile, (name, params) in order: every
    such read passes the one cache of queries.run (queries._cached), which this wraps for the while."""
    recorded, original = [], queries._cached

    def record(key_, name, params, _con):
        recorded.append((name, dict(params)))
        return original(key_, name, params, _con=_con)

    queries._cached = record
    try:
        yield recorded
    finally:
        queries._cached = original


def browser_timings(dbfile: Path, log: Path) -> dict[str, float]:
    """One user in Chromium. Seconds from `streamlit run` to the overview's KPI values visible ("cold
    start"), and until the server has warmed every page (herstelmonitor.warm, read from its log); then per
    menu click until the page is drawn. Then a new load (the database file copied to a new version and swapped
    in, as ingest does: every cache is cold for it): seconds until the server has warmed it, and per menu click
    the first view of each page after the load."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "HERSTELMONITOR_DB": str(dbfile)}
    timings = {}
    with sync_playwright() as pw, open(log, "ab") as out:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless",
                                   "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(page, f"http://127.0.0.1:{port}")
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=120_000)
            page.wait_for_function(SETTLED, timeout=120_000, polling=50)
            timings["dashboard.py"] = time.perf_counter() - start
            timings["warm_start_s"] = wait_warmed(log, 1) - start
            timings |= click_through(page, "")
            swapped = time.perf_counter()
            new_version(dbfile)
            timings["new_load_warm_s"] = wait_warmed(log, 2) - swapped
            page.reload()
            page.wait_for_function(SETTLED, timeout=120_000, polling=50)
            timings |= click_through(page, "after load ")
            timings["server_rss_mb"] = loadtest.rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
            browser.close()
    return timings


def click_through(page, prefix: str) -> dict[str, float]:
    """Per menu item (but the gemeente page, which starts with a choice): seconds from the click until drawn."""
    out = {}
    for file, label, _ in PAGES:
        if file in page_files() and file not in ("dashboard.py", "pages/gemeente.py"):
            t0 = time.perf_counter()
            page.get_by_role("link", name=label).first.click()
            page.wait_for_url(f"**/{Path(file).stem}**", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=120_000, polling=50)
            out[prefix + file] = time.perf_counter() - t0
    return out


def new_version(dbfile: Path) -> None:
    """A new load without new data: the current file copied to a new version and swapped in as ingest does."""
    copy = dbfile.with_name(f"{dbfile.stem}-{time.time_ns()}{dbfile.suffix}")
    shutil.copyfile(dbfile.resolve(), copy)
    swap_in(copy, dbfile)


def wait_warmed(log: Path, count: int, seconds: float = 600) -> float:
    """perf_counter() when the server's log holds its `count`-th warm-up (herstelmonitor.warm)."""
    deadline = time.monotonic() + seconds
    while len(warmed_in(log.read_text(encoding="utf-8", errors="replace"))) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not log warm-up {count} within {seconds:.0f} s (see {log})")
        time.sleep(0.1)
    return time.perf_counter()


def wait_until_up(page, url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            page.goto(url, timeout=5_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def bench_scale(scale: float, work: Path, browser: bool) -> dict:
    folder, dbfile = work / "extracts", work / "herstelmonitor.duckdb"
    r = {"scale": scale}
    r["sample_s"], _ = timed(write_sample_marked, folder, scale)
    files = extract_files(folder)
    r["floor_s"], r["floor_cpu_s"], _ = timed_cpu(floor_seconds, files, work / "floor.duckdb")
    (work / "floor.duckdb").unlink()
    r["ingest_s"], r["ingest_cpu_s"], results = timed_cpu(ingest, files, dbfile)
    con = db.connect(dbfile.resolve(), read_only=True)
    r["rows"] = sum(x.rows for x in results)
    latest = metrics.peildata(con)[-1]
    r["peildatum"] = latest.isoformat()
    r["ouders"] = con.execute("SELECT count(*) FROM aanmeldingen WHERE peildatum = ?", [latest]).fetchone()[0]
    r["kpis_ms"] = median_ms(lambda: json.dumps(metrics.kpis(con, latest)))
    r["ours_ms"] = median_ms(lambda: metrics.metric_table(con, latest, latest))
    con.close()
    r |= compare_pandas(folder, latest)
    r["pages"] = page_timings(dbfile, latest)
    r["browser"] = browser_timings(dbfile, work / "streamlit.log") if browser else {}
    r["server_rss_mb"] = r["browser"].pop("server_rss_mb", None)
    r["peak_rss_mb"] = peak_rss_mb()
    return r


def write_sample_marked(folder: Path, scale: float) -> None:
    from herstelmonitor.sample import write_sample

    write_sample(folder, seed=1, scale=scale)
    mark_as_sample(folder)


def run(scales: list[float], out: Path | None, browser: bool = True) -> list[dict]:
    rows = []
    for scale in scales:
        work = Path(tempfile.mkdtemp(prefix=f"bench-{scale}-"))
        try:
            rows.append(bench_scale(scale, work, browser))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(report(rows[-1:]), flush=True)
    if out is not None:
        write_section(out, "bench", document(rows))
    return rows


def run_load(loads: list[int], out: Path | None, database: Path | None, scale: float, processes: int,
             rounds: int, seconds: float) -> list:
    """`bench --load N`: the load test (herstelmonitor.loadtest) on `database`, or on a sample of `scale`
    built for it; one process alone and `processes` behind nginx; each load next to the trivial app."""
    work, label = None, database.name if database else f"a sample of scale {scale:g}"
    try:
        if database is None:
            work = Path(tempfile.mkdtemp(prefix=f"bench-load-{scale}-"))
            write_sample_marked(work / "extracts", scale)
            database = work / "herstelmonitor.duckdb"
            ingest(extract_files(work / "extracts"), database)
        per_view = loadtest.cpu_run(database)
        print(loadtest.cpu_report(per_view), flush=True)
        outcomes = []
        for n in loads:
            outcomes += loadtest.run(database, n, loadtest.setups(processes), rounds, seconds)
            print(loadtest.report(outcomes[-4:]), flush=True)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    if out is not None:
        write_section(out, "load", load_document(outcomes, per_view, label, rounds))
    return outcomes


def load_document(outcomes: list, per_view: list, label: str, rounds: int) -> str:
    return (f"## Under load\n\nWritten by `python -m herstelmonitor bench --load` on {datetime.now():%Y-%m-%d %H:%M} "
            f"({os.cpu_count()} cores; database: {label}). Each session opens the app, then visits every page "
            f"{rounds} times over Streamlit's websocket (herstelmonitor/loadtest.py); every server process is "
            "warmed by one session first. The trivial app is one page with a title and a sentence, under the same "
            "load on the same set-up. Times are per page view, from the request to the end of the script run; "
            "KB are the uncompressed messages received per view (the browser also receives them compressed).\n\n"
            "One session alone first, warm: what each page view costs the server in CPU time, and what it sends.\n\n"
            + loadtest.cpu_report(per_view) + "\n\n" + loadtest.report(outcomes) + "\n")


MARK = "<!-- {name}: written by python -m herstelmonitor bench; edit outside these markers -->"


def section(name: str, body: str) -> str:
    return f"{MARK.format(name=name)}\n{body.strip()}\n{MARK.format(name=name + ' end')}\n"


def write_section(out: Path, name: str, body: str) -> None:
    """Replace one generated section of docs/benchmarks.md (or add it), keeping everything else."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n\n"
    start, end = MARK.format(name=name), MARK.format(name=name + " end")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + section(name, body) + after
    else:
        text = text.rstrip("\n") + "\n\n" + section(name, body)
    out.write_text(text, encoding="utf-8")


def report(rows: list[dict]) -> str:
    """The table: one column per scale."""
    lines = ["| | " + " | ".join(f"scale {r['scale']:g}" for r in rows) + " |",
             "| --- |" + " --- |" * len(rows)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in rows) + " |")

    row("parents at the latest peildatum", lambda r: f"{r['ouders']:,} ({r['peildatum']})")
    row("rows loaded (41 peildata, 3 kinds)", lambda r: f"{r['rows']:,}")
    row("sample build", lambda r: f"{r['sample_s']:.1f} s")
    row("ingest with all checks", lambda r: f"{r['ingest_s']:.1f} s ({r['rows'] / r['ingest_s']:,.0f} rows/s)")
    row("DuckDB read, no checks (floor)", lambda r: f"{r['floor_s']:.1f} s ({r['rows'] / r['floor_s']:,.0f} rows/s)")
    row("ingest speed / floor speed", lambda r: f"{r['floor_s'] / r['ingest_s']:.2f}")
    row("CPU time: ingest / floor (both use every core)", lambda r: f"{r['ingest_cpu_s']:.1f} s / {r['floor_cpu_s']:.1f} s")
    for page in rows[0]["pages"]:
        row(f"`{page}`: queries uncached / page run warm",
            lambda r, p=page: f"{r['pages'][p]['queries_ms']:.0f} ms ({r['pages'][p]['queries']} queries) / "
                              f"{r['pages'][p]['page_ms']:.0f} ms")
    for page in rows[0]["pages"]:
        row(f"`{page}` warm run by stage (profiled): " + " / ".join(n for n, _ in STAGES) + " / app and other",
            lambda r, p=page: " / ".join(f"{1000 * r['pages'][p]['stages'].get(n, 0):.0f}"
                                         for n in [*(n for n, _ in STAGES), "app and other"]) + " ms")
    row("full `kpis --json` (all gemeenten), warm", lambda r: f"{r['kpis_ms']:.0f} ms")
    row("spec metrics national + per gemeente, read as stored at ingest", lambda r: f"{r['ours_ms']:.0f} ms")
    row("same computed from the CSV files: DuckDB / pandas", lambda r: f"{r['duckdb_files_ms']:,.0f} ms / "
        f"{r['pandas_files_ms']:,.0f} ms ({r['pandas_files_ms'] / r['duckdb_files_ms']:.1f}×)")
    row("same computed on data in memory: DuckDB / pandas", lambda r: f"{r['duckdb_memory_ms']:,.0f} ms / "
        f"{r['pandas_memory_ms']:,.0f} ms ({r['pandas_memory_ms'] / r['duckdb_memory_ms']:.1f}×)")
    row("peak memory (RSS) of the bench process", lambda r: f"{r['peak_rss_mb']:,.0f} MB")
    if rows[0].get("server_rss_mb"):
        row("memory (RSS) of the Streamlit server after every page once", lambda r: f"{r['server_rss_mb']:,.0f} MB")
    browser = rows[0]["browser"]
    if browser:
        for label, key in (("browser: cold start to overview KPIs visible", "dashboard.py"),
                           ("server start to every page warmed (herstelmonitor.warm)", "warm_start_s"),
                           ("a new load swapped in to every page warmed", "new_load_warm_s")):
            row(label, lambda r, k=key: f"{r['browser'].get(k, float('nan')):.1f} s")
    for page in (p for p in browser if p.startswith("pages/")):
        row(f"browser: menu click to `{page}` drawn, warm / first view after a new load",
            lambda r, p=page: f"{r['browser'].get(p, float('nan')):.1f} s / "
                              f"{r['browser'].get('after load ' + p, float('nan')):.1f} s")
    return "\n".join(lines)


def document(rows: list[dict]) -> str:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"## One user\n\nWritten by `python -m herstelmonitor bench` on {datetime.now():%Y-%m-%d %H:%M}, "
            f"on {os.cpu_count()} cores and {mem_gb:.0f} GiB memory ({platform.platform()}, Python "
            f"{platform.python_version()}). Warm timings are medians of {RUNS} runs. Scale 1 is the national "
            "size (about 68,000 parents at the end of 2023); scale 10 is ten times that. CPU time counts every "
            "thread of the process; wall time on this shared machine also holds waiting for a core.\n\n"
            + report(rows) + "\n")
