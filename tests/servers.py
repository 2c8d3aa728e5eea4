"""Real app servers for the fault and multi-server tests: gunicorn processes and an HTTP client.

``AppServer`` starts ``gunicorn`` on a free loopback port with the given environment (the same
way the README deploys the app) and stops it again. ``HttpClient`` behaves like a browser
without JavaScript: it keeps cookies, sends the CSRF token the page carries, and does not
follow redirects, so a test sees exactly what the server answered.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``gunicorn`` serving ``app_module`` on 127.0.0.1:<free port>."""

    def __init__(self, env: dict[str, str], *, app_module: str = "wsgi:app", workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--chdir",
            str(ROOT),
            "--graceful-timeout",
            "2",
            app_module,
        ]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("DLA_")} | env
        self.log = open(Path(env.get("DLA_SERVER_LOG", os.devnull)), "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_until_healthy()

    def wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped with exit code {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.base} did not become healthy within {timeout} s")

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class HttpClient:
    """A browser-like client for one person: cookies, CSRF token, htmx headers."""

    def __init__(self, base: str, *, behind_tls: bool = False):
        """``behind_tls``: act as the TLS-terminating proxy does for a production server
        (``DLA_PROXIES=1``): send ``X-Forwarded-Proto: https`` and return Secure cookies."""
        self.base = base
        self.behind_tls = behind_tls
        self.jar = http.cookiejar.CookieJar(_TlsProxyPolicy() if behind_tls else None)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.csrf = ""

    def request(self, method: str, path: str, data=None, *, htmx: bool = False, timeout=30):
        """Answer ``(status, text, headers)``; HTTP errors are answers, not exceptions."""
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if htmx:
            request.add_header("HX-Request", "true")
        if self.behind_tls:
            request.add_header("X-Forwarded-Proto", "https")
            # Over https Flask-WTF checks that a form comes from this site, as browsers
            # tell with the Referer header (same-origin requests keep it).
            request.add_header("Referer", "https://" + self.base.split("://", 1)[1] + "/")
        if method != "GET" and self.csrf:
            request.add_header("X-CSRFToken", self.csrf)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, text, headers = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, headers = error.code, error.headers
            text = error.read().decode(errors="replace")
        token = PAGE_CSRF.search(text)
        if token:
            self.csrf = token.group(1)
        return status, text, headers

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.request("POST", path, data or {}, **kwargs)

    def login(self, email: str, password: str) -> int:
        """Log in through the form; answers the status of the POST (302 when it worked)."""
        _status, page, _headers = self.get("/inloggen")
        token = FORM_CSRF.search(page).group(1)
        status, _text, _headers = self.post(
            "/inloggen", {"csrf_token": token, "email": email, "password": password}
        )
        return status

    def copy_cookies_to(self, other: HttpClient) -> None:
        """Hand this person's cookies to another client (the same browser, another server)."""
        for cookie in self.jar:
            other.jar.set_cookie(cookie)
        other.csrf = self.csrf


class _TlsProxyPolicy(http.cookiejar.DefaultCookiePolicy):
    """Secure cookies travel to the app because the proxy in front of it speaks TLS."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class TcpProxy:
    """A loopback TCP proxy to a database server that a test can take away and bring back.

    ``stop()`` closes the listening socket and cuts every open connection, as a database
    restart or a network failure does; ``start()`` listens on the same port again.
    """

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.start()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            connections, self.connections = self.connections, []
        if listener is not None:
            listener.close()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                if self.listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
