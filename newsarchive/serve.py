"""A static file server for the built site, behaving like static hosting, with live reload.

Only files under the output folder are answered; a folder without ``index.html`` and anything
missing get ``404.html`` with status 404; it binds to 127.0.0.1 unless told otherwise. When the
server carries a ``LiveState`` (``serve`` does, tests may), HTML responses get a small reload
script injected at serve time, never into the files of the output folder, and ``/__live/events``
streams build results as Server-Sent Events.
"""
from __future__ import annotations

import functools
import ipaddress
import json
import os
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

LIVE_EVENTS = "/__live/events"
LIVE_SCRIPT = "/__live/reload.js"
_SCRIPT_PATH = Path(__file__).with_name("live_reload.js")
_INJECT = f'<script src="{LIVE_SCRIPT}"></script>'.encode()
MAX_PATH = 2048          # longer request paths get 414
IDLE_TIMEOUT = 15.0      # seconds a connection may sit without sending a request


def host_allowed(host_header: str | None) -> bool:
    """Only a loopback name or an IP address: a page on another site that rebinds its own domain
    name to 127.0.0.1 (DNS rebinding) sends that name, and is refused."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):   # [::1]:8000
        host = host[1:host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":")[0]
    if host in ("localhost", "localhost."):
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class LiveState:
    """The latest build result, shared between the builder and every open browser tab."""

    def __init__(self):
        self._cond = threading.Condition()
        self.generation = 0
        self.errors: tuple[str, ...] = ()
        self.moved: dict[str, str] = {}   # an item's old path -> its new one, for tabs showing it
        self.closed = False

    def publish(self, errors=(), moved=None) -> None:
        with self._cond:
            self.generation += 1
            self.errors = tuple(errors)
            self.moved = dict(moved or {})
            self._cond.notify_all()

    def wait(self, seen: int | None, timeout: float) -> tuple[int, tuple[str, ...]]:
        with self._cond:
            self._cond.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return self.generation, self.errors

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".wasm": "application/wasm", ".js": "text/javascript"}

    @property
    def live(self) -> LiveState | None:
        return getattr(self.server, "live", None)

    timeout = IDLE_TIMEOUT   # idle or slow connections are closed, so they cannot pile up

    def _refused(self) -> bool:
        """Answer and return True for requests that must not reach a file."""
        if not host_allowed(self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden: this preview answers only to localhost or an IP address\n",
                       "text/plain; charset=utf-8")
            return True
        path = urlsplit(self.path).path
        if len(self.path) > MAX_PATH:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, b"Request path too long\n", "text/plain; charset=utf-8")
            return True
        if "\x00" in unquote(path) or "\x00" in path:
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request path\n", "text/plain; charset=utf-8")
            return True
        return False

    def translate_path(self, path):
        """The file for ``path``, or a path that does not exist when it would lead out of the
        output folder (through ``..`` or a symbolic link)."""
        translated = super().translate_path(path)
        root = os.path.realpath(self.directory)
        real = os.path.realpath(translated)
        if real != root and not real.startswith(root + os.sep):
            return "/nonexistent/outside-the-output-folder"   # answered with the 404 page
        return translated

    def do_HEAD(self):
        if not self._refused():
            super().do_HEAD()

    def do_GET(self):
        if self._refused():
            return
        path = urlsplit(self.path).path
        if self.live is not None:
            if path == LIVE_EVENTS:
                return self._events(self.live)
            if path == LIVE_SCRIPT:
                return self._send(HTTPStatus.OK, _SCRIPT_PATH.read_bytes(), "text/javascript; charset=utf-8")
            file = Path(self.translate_path(self.path))
            if path.endswith("/") and file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                return self._send(HTTPStatus.OK, self._inject(file.read_bytes()), "text/html; charset=utf-8")
        return super().do_GET()

    def _inject(self, body: bytes) -> bytes:
        at = body.rfind(b"</body>")
        return body[:at] + _INJECT + body[at:] if at >= 0 else body + _INJECT

    def _send(self, code, body: bytes, content_type: str):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self, live: LiveState):
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = None
        try:
            while not live.closed:
                generation, errors = live.wait(seen, timeout=10)
                if generation != seen:
                    data = json.dumps({"generation": generation, "errors": errors, "moved": live.moved},
                                      ensure_ascii=False)
                    self.wfile.write(f"data: {data}\n\n".encode())
                    seen = generation
                else:
                    self.wfile.write(b": ping\n\n")   # finds closed tabs
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def list_directory(self, path):  # a folder without index.html is not a page
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code, message=None, explain=None):
        if code != HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><body><h1>404</h1></body>"
        if self.live is not None:
            body = self._inject(body)
        self._send(code, body, "text/html; charset=utf-8")

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # quiet: the build summary is what editors read
        pass


class SiteServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 64   # Python's default backlog is 5; a browser opens 6 connections at once, plus SSE
    live: LiveState | None = None


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000, live: LiveState | None = None,
                idle_timeout: float = IDLE_TIMEOUT) -> SiteServer:
    handler = type("Handler", (SiteHandler,), {"timeout": idle_timeout})
    server = SiteServer((host, port), functools.partial(handler, directory=str(folder)))
    server.live = live
    return server


def serve_in_thread(folder: Path, host: str = "127.0.0.1", port: int = 0, live: LiveState | None = None,
                    idle_timeout: float = IDLE_TIMEOUT) -> SiteServer:
    """Start a server in a daemon thread (port 0 picks a free port); stop it with ``shutdown()``."""
    server = make_server(folder, host, port, live, idle_timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
