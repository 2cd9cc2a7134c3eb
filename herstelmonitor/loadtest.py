"""Load test: N sessions at once over Streamlit's own websocket, each visiting every page.

A session does what a browser does, without drawing: open `/` (which sets the balancer's route cookie),
open the websocket at /_stcore/stream (subprotocol "streamlit"), and for each page send a BackMsg
`rerun_script` with the page's url name and query string, then read ForwardMsgs until `script_finished`.
It keeps the hashes of the large messages it received and sends them along (as the browser's message cache
does), so an unchanged chart or map is not sent again within a session. Per page view it records the time
from request to `script_finished`, the bytes received and errors (an exception shown on the page, an
error message, a timeout, a dropped connection).

Bounded: at most MAX_SESSIONS sessions, each view at most VIEW_TIMEOUT seconds, the whole run at most
`seconds`. Loopback only: the servers are started here (herstelmonitor.scaleout) on 127.0.0.1.
"""
import asyncio
import random
import statistics
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from herstelmonitor import scaleout, ui
from herstelmonitor.paths import ROOT

MAX_SESSIONS = 200
VIEW_TIMEOUT = 120.0
# The pages a session visits, in menu order: (url name, query string): every page of the menu but the upload
# page (for one person of the data team); the gemeente page with a gemeente chosen, as its users come to it.
QUERIES = {"gemeente": "gemeente=GM0599"}
PAGES = tuple((("" if f == "dashboard.py" else Path(f).stem), QUERIES.get(Path(f).stem, ""))
              for f, _, _ in ui.PAGES if f != "pages/upload.py")
TRIVIAL_APP = 'import streamlit as st\n\nst.title("Trivial")\nst.write("Eén pagina met een zin tekst.")\n'


def run_async(coro):
    """asyncio.run() in a thread of its own: the caller may already run an event loop in this thread (Playwright's
    sync API does, for the rest of a test session), and asyncio.run() refuses to start inside one."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass
class View:
    app: str
    page: str
    seconds: float
    bytes: int
    error: str = ""
    backend: str = ""
    texts: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # bytes received per element type


# --- one session ---------------------------------------------------------------------------------------

def rerun_request(page: str, query: str, cached: set[str]) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.page_name = page
    state.query_string = query
    state.cached_message_hashes.extend(sorted(cached))
    return msg.SerializeToString()


async def one_view(ws, app: str, page: str, query: str, cached: set[str], keep_texts: bool) -> View:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    await ws.send(rerun_request(page, query, cached))
    received, error, texts, kinds = 0, "", [], {}
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=VIEW_TIMEOUT)
        received += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.metadata.cacheable and msg.hash:
            cached.add(msg.hash)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            error = error or element_error(msg.delta.new_element)
            element = msg.delta.new_element.WhichOneof("type")
            kinds[element] = kinds.get(element, 0) + len(raw)
            if keep_texts and msg.delta.new_element.WhichOneof("type") == "markdown":
                texts.append(msg.delta.new_element.markdown.body)
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                break
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                error = error or f"script_finished {msg.script_finished}"
                break
    return View(app, page or "dashboard", time.perf_counter() - start, received, error, texts=texts, kinds=kinds)


def element_error(element) -> str:
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception: {element.exception.type}: {element.exception.message[:200]}"
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return f"error: {element.alert.body[:200]}"
    return ""


def open_page(url: str) -> tuple[str, str]:
    """GET / as a browser does first: (cookie for the websocket, backend that answered if the balancer says)."""
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        return "; ".join(cookies), response.headers.get(scaleout.BACKEND_HEADER, "")


async def session(url: str, app: str, plan: list[tuple[str, str]], stop_at: float, keep_texts: bool) -> list[View]:
    import websockets

    views: list[View] = []
    try:
        cookie, backend = await asyncio.to_thread(open_page, url)
        ws_url = "ws://" + urlparse(url).netloc + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else {}
        async with websockets.connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                                      max_size=None, open_timeout=VIEW_TIMEOUT, ping_interval=None) as ws:
            cached: set[str] = set()
            served_by = ws.response.headers.get(scaleout.BACKEND_HEADER, "")
            if served_by != backend:  # sticky sessions: the websocket must reach the process that served /
                backend = f"{backend} then {served_by}"
            for page, query in plan:
                if time.monotonic() > stop_at:
                    views.append(View(app, page or "dashboard", 0.0, 0, "run time over", backend))
                    break
                view = await one_view(ws, app, page, query, cached, keep_texts)
                view.backend = backend
                views.append(view)
    except Exception as e:  # a dropped connection or a timeout is an outcome of the load, not a crash
        views.append(View(app, plan[len(views)][0] if len(views) < len(plan) else "?", 0.0, 0,
                          f"{type(e).__name__}: {e}"[:200]))
    return views


async def sessions(url: str, app: str, n: int, plan: list[tuple[str, str]], seconds: float, ramp: float,
                   keep_texts: bool) -> list[View]:
    stop_at = time.monotonic() + seconds

    async def start(i: int) -> list[View]:
        await asyncio.sleep(random.uniform(0, ramp))  # everyone within `ramp` seconds: a Monday morning
        return await session(url, app, plan, stop_at, keep_texts)

    results = await asyncio.gather(*(start(i) for i in range(n)))
    return [v for views in results for v in views]


# --- server resources ----------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, all its threads (DuckDB's too)."""
    import os

    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler:
    """Peak of the summed RSS of the server processes, sampled every 0.2 s, and their CPU time used."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak_mb, self._stop = pids, 0.0, threading.Event()
        self.cpu_start = sum(cpu_seconds(p) for p in pids)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, sum(rss_mb(p) for p in self.pids))
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu = sum(cpu_seconds(p) for p in self.pids) - self.cpu_start


# --- a run ---------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """One app under one load on one set-up."""
    app: str
    setup: str
    sessions: int
    views: list[View]
    wall_s: float
    server_cpu_s: float
    server_peak_rss_mb: float
    server_start_rss_mb: float

    def per_page(self) -> dict[str, dict]:
        pages: dict[str, list[View]] = {}
        for v in self.views:
            pages.setdefault(v.page, []).append(v)
        return {page: summary(vs) for page, vs in pages.items()}

    @property
    def total(self) -> dict:
        return summary(self.views)

    @property
    def errors(self) -> list[str]:
        return [f"{v.page}: {v.error}" for v in self.views if v.error]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def summary(views: list[View]) -> dict:
    ok = [v.seconds for v in views if not v.error]
    sizes = [v.bytes for v in views if not v.error]
    return {"views": len(views), "errors": sum(bool(v.error) for v in views), "p50": percentile(ok, 50),
            "p95": percentile(ok, 95), "max": max(ok, default=float("nan")), "kb_max": max(sizes, default=0) / 1024,
            "kb_median": statistics.median(sizes) / 1024 if sizes else float("nan")}


def load(url: str, app: str, setup: str, n: int, plan: list[tuple[str, str]], pids: list[int], seconds: float,
         ramp: float, keep_texts: bool = False) -> Outcome:
    start_rss = sum(rss_mb(p) for p in pids)
    t0 = time.perf_counter()
    with Sampler(pids) as sampler:
        views = run_async(sessions(url, app, n, plan, seconds, ramp, keep_texts))
    return Outcome(app, setup, n, views, time.perf_counter() - t0, sampler.cpu, sampler.peak_mb, start_rss)


def cpu_per_view(url: str, pids: list[int], plan: list[tuple[str, str]]) -> list[tuple[View, float]]:
    """One session alone, view after view: each view with the server CPU seconds it cost (robust on a
    busy machine, where wall time also holds waiting for a core)."""
    async def go() -> list[tuple[View, float]]:
        import websockets

        out = []
        cookie, _ = await asyncio.to_thread(open_page, url)
        async with websockets.connect("ws://" + urlparse(url).netloc + "/_stcore/stream", subprotocols=["streamlit"],
                                      additional_headers={"Cookie": cookie} if cookie else {}, max_size=None,
                                      ping_interval=None) as ws:
            cached: set[str] = set()
            for page, query in plan:
                before = sum(cpu_seconds(p) for p in pids)
                view = await one_view(ws, "herstelmonitor", page, query, cached, False)
                out.append((view, sum(cpu_seconds(p) for p in pids) - before))
        return out

    return run_async(go())


def cpu_report(rows: list[tuple[View, float]]) -> str:
    """Markdown: per page, the server CPU per warm view and what the view sent, by element type."""
    lines = ["| page | server CPU per view | wall | KB sent | largest parts (KB) |", "| --- | --- | --- | --- | --- |"]
    for view, cpu in rows:
        parts = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(view.kinds.items(), key=lambda kv: -kv[1])[:3])
        lines.append(f"| `{view.page}` | {1000 * cpu:.0f} ms | {1000 * view.seconds:.0f} ms | {view.bytes / 1024:.0f} | {parts} |")
    return "\n".join(lines)


def warm(url: str, plan: list[tuple[str, str]]) -> None:
    """One session through every page first: the load measures warm servers (cold is the browser bench)."""
    views = run_async(sessions(url, "warm", 1, plan, VIEW_TIMEOUT * len(plan), 0, False))
    bad = [f"{v.page}: {v.error}" for v in views if v.error]
    if bad:
        raise RuntimeError("warming failed: " + "; ".join(bad))


def setups(processes: int) -> list[tuple[str, int, bool]]:
    """(label, Streamlit processes, behind nginx): one process alone, and `processes` behind nginx."""
    return [("1 process", 1, False), (f"nginx, {processes} processes", processes, True)]


def cpu_run(database: Path) -> list[tuple[View, float]]:
    """One process, warmed, then one session through every page: server CPU per view."""
    with scaleout.running(ROOT / "dashboard.py", database, 1) as cluster:
        warm(cluster.url, list(PAGES))
        return cpu_per_view(cluster.url, cluster.server_pids, list(PAGES))


def run(database: Path, n: int, setups: list[tuple[str, int, bool]], rounds: int = 2, seconds: float = 600,
        ramp: float = 2.0, logs: Path | None = None, trivial: bool = True) -> list[Outcome]:
    """For each set-up (label, processes, behind nginx): the dashboard and (with `trivial`) the trivial
    app, each under `n` sessions that visit every page `rounds` times. Every process is warmed by one
    session first: this measures warm servers (the first view after a start is the browser bench's)."""
    n = min(n, MAX_SESSIONS)
    plan = list(PAGES) * rounds
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="herstelmonitor-trivial-") as tmp:
        trivial_app = Path(tmp) / "trivial.py"
        trivial_app.write_text(TRIVIAL_APP, encoding="utf-8")
        apps = [("herstelmonitor", ROOT / "dashboard.py", plan)]
        if trivial:
            apps.append(("trivial", trivial_app, [("", "")] * len(plan)))
        for label, processes, balanced in setups:
            for app, file, app_plan in apps:
                with scaleout.running(file, database, processes, balanced, backend_header=balanced,
                                      logs=logs) as cluster:
                    for server_url in cluster.server_urls:  # every process directly, not through the balancer
                        warm(server_url, app_plan[:len(PAGES)])
                    outcomes.append(load(cluster.url, app, label, n, app_plan, cluster.server_pids, seconds, ramp))
    return outcomes


def report(outcomes: list[Outcome]) -> str:
    """Markdown: per set-up and load, the dashboard's pages next to the trivial app."""
    lines = ["| set-up | sessions | app / page | views | p50 s | p95 s | max s | errors | KB per view (median / max) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        rows = [(o.app + " (all pages)", o.total)] + ([(f"`{p}`", s) for p, s in o.per_page().items()]
                                                       if o.app != "trivial" else [])
        for name, s in rows:
            lines.append(f"| {o.setup} | {o.sessions} | {name} | {s['views']} | {s['p50']:.2f} | {s['p95']:.2f} | "
                         f"{s['max']:.2f} | {s['errors']} | {s['kb_median']:.0f} / {s['kb_max']:.0f} |")
    lines += ["", "| set-up | sessions | app | wall s | server CPU s | server RSS at start / peak MB |",
              "| --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        lines.append(f"| {o.setup} | {o.sessions} | {o.app} | {o.wall_s:.1f} | {o.server_cpu_s:.1f} | "
                     f"{o.server_start_rss_mb:,.0f} / {o.server_peak_rss_mb:,.0f} |")
    return "\n".join(lines)
