"""A static file server for the built site, behaving like static hosting.

Only files under the output folder are answered; a folder without ``index.html`` and anything
missing get ``404.html`` with status 404; it binds to 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import functools
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".wasm": "application/wasm", ".js": "text/javascript"}

    def list_directory(self, path):  # a folder without index.html is not a page
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # quiet: the build summary is what editors read
        pass


class SiteServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> SiteServer:
    return SiteServer((host, port), functools.partial(SiteHandler, directory=str(folder)))


def serve_in_thread(folder: Path, host: str = "127.0.0.1", port: int = 0) -> SiteServer:
    """Start a server in a daemon thread (port 0 picks a free port); stop it with ``shutdown()``."""
    server = make_server(folder, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
