"""Shared pieces of the load tests (``werksessie_load.py``, ``load.py``).

A browser-like HTTP client (cookies, CSRF token, htmx headers, no redirects followed,
optionally from its own loopback address), the real login form, gunicorn on 127.0.0.1,
the benchmark database (an SQLite file in ``benchmarks/out/`` or a PostgreSQL schema) and a
nearest-rank percentile. Standard library only, besides the app itself.
"""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX_CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


# --- the benchmark database ----------------------------------------------------------------


def database_url(argument: str | None, *, schema: str, sqlite_name: str) -> str:
    """``benchmarks/out/<sqlite_name>`` by default; a PostgreSQL URL gets ``schema``."""
    from dla.config import normalise_database_url

    if not argument:
        OUT.mkdir(exist_ok=True)
        return f"sqlite:///{OUT / sqlite_name}"
    url = normalise_database_url(argument)
    if url.startswith("postgresql"):
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    return url


def reset_database(url: str, schema: str) -> None:
    """Delete the SQLite file (and its WAL), or drop and recreate the PostgreSQL schema."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if url.startswith("sqlite"):
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    base = url.split("options=")[0].rstrip("?&")
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def dialect_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


# --- HTTP client ---------------------------------------------------------------------------


class Client:
    """A browser-like client: cookies, the CSRF token, htmx headers, no redirects followed.

    ``source`` binds its connections to that local address (e.g. ``127.0.0.7``): on Linux
    every 127.x.y.z address reaches a server on 127.0.0.1, so simulated people can come
    from different addresses, as real ones do (the login throttle counts per address).
    Every request opens a new connection (urllib sends ``Connection: close``).
    """

    def __init__(self, base: str, source: str | None = None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()]
        if source:
            handlers.append(_BoundHTTPHandler(source))
        self.opener = urllib.request.build_opener(*handlers)
        self.csrf = ""

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = True):
        """Returns (status, body text, milliseconds)."""
        body = urllib.parse.urlencode(data or {}).encode() if method == "POST" else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if htmx:
            request.add_header("HX-Request", "true")
        if self.csrf and method == "POST":
            request.add_header("X-CSRFToken", self.csrf)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        elapsed = (time.perf_counter() - start) * 1000
        return status, text, elapsed

    def login(self, email: str, password: str) -> int:
        """Log in through the real form (CSRF token from the page); returns the status.

        A successful login answers 302; then the client keeps the htmx CSRF token of the
        page it lands on for its later POSTs.
        """
        _status, page, _ = self.request("GET", "/inloggen", htmx=False)
        self.csrf = CSRF_RE.search(page).group(1)
        status, _, _ = self.request(
            "POST",
            "/inloggen",
            {"email": email, "password": password, "csrf_token": self.csrf},
            htmx=False,
        )
        if status == 302:
            _status, page, _ = self.request("GET", "/", htmx=False)
            found = HX_CSRF_RE.search(page)
            if found:
                self.csrf = found.group(1)
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _BoundHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


# --- gunicorn ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    url: str,
    workers: int,
    threads: int,
    log_path: Path,
    secret: str,
    redis_url: str | None = None,
    request_log: Path | None = None,
):
    """gunicorn with ``gthread`` workers on a free port of 127.0.0.1; (process, base URL).

    With ``redis_url`` the workers share the cache and the login throttle through Redis, as
    several app servers do in production (README.md, "Deployment"), under a prefix of this
    run's own. With ``request_log`` the workers serve ``benchmarks/timed_wsgi.py``, which
    writes each request's CPU time to ``<request_log>.<worker pid>``."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secret, DLA_ENV="development")
    app_module = ["wsgi:app"]
    if request_log is not None:
        env["DLA_BENCH_REQUEST_LOG"] = str(request_log)
        app_module = ["--pythonpath", str(ROOT / "benchmarks"), "timed_wsgi:app"]
    env.pop("REDIS_URL", None)
    if redis_url:
        run = f"bench-{os.getpid()}-{port}"
        env.update(
            REDIS_URL=redis_url,
            DLA_CACHE_PREFIX=f"{run}-cache:",
            DLA_RATELIMIT_PREFIX=f"{run}-limits",
        )
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            *app_module,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with urllib.request.urlopen(base + "/inloggen", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def stop_gunicorn(process) -> None:
    process.terminate()
    process.wait(timeout=30)


def server_errors(log_path: Path) -> list[str]:
    """Tracebacks and ERROR lines in the gunicorn log (each is an error of the run)."""
    return [
        line
        for line in log_path.read_text().splitlines()
        if "Traceback" in line or " ERROR " in line
    ]


# --- where the CPU went --------------------------------------------------------------------


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds so far: the whole machine, gunicorn (master and workers), this process.

    Linux only (``/proc``); empty elsewhere. Differences of two calls show how the cores
    were shared during a phase, and how much went to other work on the machine.
    """
    try:
        tick = os.sysconf("SC_CLK_TCK")
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        # user, nice, system, irq, softirq, steal (not idle, iowait; guest is in user)
        busy = sum(fields[i] for i in (0, 1, 2, 5, 6, 7)) / tick
        server = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parts = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(parts[1])
            if server_pid in (pid, ppid):
                server += (int(parts[11]) + int(parts[12])) / tick
    except (OSError, ValueError, AttributeError):
        return {}
    return {"machine": busy, "server": server, "client": time.process_time()}


def cpu_shares(before: dict, after: dict, seconds: float) -> str:
    """``gunicorn 1.2, load generator 0.1, rest 0.6 of 2 cores`` for the time between."""
    if not before or not after:
        return "CPU shares not available"
    used = {key: (after[key] - before[key]) / seconds for key in before}
    rest = max(0.0, used["machine"] - used["server"] - used["client"])
    return (
        f"cores busy: gunicorn {used['server']:.2f}, load generator {used['client']:.2f}, "
        f"everything else (database, other work) {rest:.2f}, of {os.cpu_count()}"
    )


def request_log_offsets(request_log: Path) -> dict[Path, int]:
    """Where each worker's request log (``timed_wsgi``) ends now."""
    return {path: path.stat().st_size for path in request_log.parent.glob(request_log.name + ".*")}


def cpu_per_request(request_log: Path, since: dict[Path, int], until: dict[Path, int]) -> str:
    """A table of the requests the workers logged between two ``request_log_offsets``: per
    method and endpoint the count, median CPU ms of the request's thread, share of all that
    CPU, and the number of SQL statements (median–max)."""
    rows: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for path, end in until.items():
        with path.open("rb") as handle:
            handle.seek(since.get(path, 0))
            chunk = handle.read(end - since.get(path, 0)).decode()
        for line in chunk.splitlines():
            method, endpoint, _status, cpu, statements = line.split()
            rows.setdefault((method, endpoint), []).append((float(cpu), int(statements)))
    total = sum(cpu for values in rows.values() for cpu, _ in values) or 1.0
    lines = [
        f"{'request':<40} {'count':>6} {'median CPU ms':>14} {'CPU share':>10} {'statements':>11}"
    ]
    by_cpu = sorted(rows.items(), key=lambda item: -sum(cpu for cpu, _ in item[1]))
    for (method, endpoint), values in by_cpu:
        cpus = [cpu for cpu, _ in values]
        counts = sorted(n for _, n in values)
        lines.append(
            f"{method + ' ' + endpoint:<40} {len(values):>6} {statistics.median(cpus):>14.1f} "
            f"{100 * sum(cpus) / total:>9.1f}% {statistics.median(counts):>6.0f}–{counts[-1]:<4}"
        )
    lines.append(
        f"{'all':<40} {sum(len(v) for v in rows.values()):>6} "
        f"{'':>14} {'':>10} (CPU of all requests: {total / 1000:.1f} s)"
    )
    return "\n".join(lines)


# --- figures -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``nan`` for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
