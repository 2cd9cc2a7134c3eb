"""N Streamlit processes behind nginx, all reading the same versioned database file.

Used by `make serve-lb` (production-like, on loopback) and by the load test (`bench --load`). Every
process follows the database link on its own (herstelmonitor.ui.cursor), so a new load is picked up by all
of them without a restart. nginx (Debian's package) runs in the foreground with a temporary prefix, from
deploy/nginx.conf; sticky sessions by a route cookie keep each browser on one process.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from herstelmonitor.browser import free_port
from herstelmonitor.paths import ROOT

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Only in the load test: which process served a request, to check that the sessions are spread.
BACKEND_HEADER = "X-Herstelmonitor-Backend"


@dataclass
class Cluster:
    """What is running: the address clients use, and the process ids of the Streamlit servers."""
    url: str
    servers: list[subprocess.Popen] = field(default_factory=list)
    server_urls: list[str] = field(default_factory=list)
    balancer: subprocess.Popen | None = None

    @property
    def server_pids(self) -> list[int]:
        return [s.pid for s in self.servers]


def streamlit_command(app: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]


def start_server(app: Path, port: int, env: dict, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    return subprocess.Popen(streamlit_command(app, port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(url: str, seconds: float = 90, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process stopped (exit {process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy within {seconds:.0f} s")
        time.sleep(0.3)


def nginx_config(prefix: Path, listen: int, ports: list[int], backend_header: bool = False) -> str:
    upstreams = "".join(f"        server 127.0.0.1:{p};\n" for p in ports)
    extra = f"            add_header {BACKEND_HEADER} $upstream_addr always;\n" if backend_header else ""
    return (NGINX_CONF.read_text(encoding="utf-8").replace("@PREFIX@", str(prefix))
            .replace("@LISTEN@", f"127.0.0.1:{listen}").replace("@UPSTREAMS@\n", upstreams).replace("@EXTRA@", extra))


def start_nginx(prefix: Path, listen: int, ports: list[int], backend_header: bool = False) -> subprocess.Popen:
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, listen, ports, backend_header), encoding="utf-8")
    # -e: the error log before the configuration is read (otherwise /var/log/nginx, often not writable).
    return subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


@contextmanager
def running(app: Path, database: Path | None, processes: int = 1, balancer: bool = False, port: int | None = None,
            backend_header: bool = False, logs: Path | None = None):
    """Start `processes` Streamlit servers of `app` (behind nginx when `balancer`); yields a Cluster and
    stops everything it started on exit. Loopback only."""
    exit_on_sigterm()
    env = dict(os.environ)
    if database is not None:
        env["HERSTELMONITOR_DB"] = str(database)
    ports = [free_port() for _ in range(processes)] if balancer or port is None else [port]
    started: list[subprocess.Popen] = []
    prefix = Path(tempfile.mkdtemp(prefix="herstelmonitor-nginx-")) if balancer else None
    try:
        servers = [start_server(app, p, env, logs / f"streamlit-{p}.log" if logs else None) for p in ports]
        started += servers
        for server, p in zip(servers, ports):
            wait_healthy(f"http://127.0.0.1:{p}", process=server)
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        cluster = Cluster(urls[0], servers, urls)
        if balancer:
            listen = port or free_port()
            cluster.balancer = start_nginx(prefix, listen, ports, backend_header)
            started.append(cluster.balancer)
            cluster.url = f"http://127.0.0.1:{listen}"
            wait_healthy(cluster.url, 30, cluster.balancer)
        yield cluster
    finally:
        stop(started)
        if prefix is not None:
            shutil.rmtree(prefix, ignore_errors=True)


def exit_on_sigterm() -> None:
    """A terminated run (timeout, CI) still stops the servers it started: SIGTERM unwinds like Ctrl-C."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def serve(processes: int, port: int, database: Path | None) -> int:
    """`python -m herstelmonitor serve`: run until interrupted (Ctrl-C)."""
    with running(ROOT / "dashboard.py", database, processes, balancer=True, port=port) as cluster:
        print(f"Herstelmonitor op {cluster.url} ({processes} Streamlit-processen achter nginx). Stop met Ctrl-C.",
              flush=True)
        try:
            while all(p.poll() is None for p in [*cluster.servers, cluster.balancer]):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    print("Een proces is gestopt; alles is afgesloten.", file=sys.stderr)
    return 1
