"""The preview server behaves like static hosting and answers only files under the output folder."""
from __future__ import annotations

import http.client
import socket
import time

import pytest

from newsarchive.serve import serve_in_thread


def get(sample, path):
    host, port = sample.base.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type", ""), body


def test_pages_and_assets_are_served(sample):
    status, ctype, body = get(sample, "/zh/")
    assert status == 200 and ctype.startswith("text/html") and '<html lang="zh">' in body.decode()
    assert get(sample, "/en/feed.xml")[0] == 200
    assert get(sample, "/pagefind/zh/pagefind-ui.js")[0] == 200


def test_folder_without_slash_redirects(sample):
    assert get(sample, "/en/news")[0] == 301


@pytest.mark.parametrize("path", ["/en/no-such-page/", "/pagefind/", "/../pyproject.toml", "/%2e%2e/site.yaml",
                                  "//etc/passwd", "/en/../../README.md"])
def test_missing_and_escaping_paths_get_the_404_page(sample, path):
    status, ctype, body = get(sample, path)
    assert status == 404
    assert "Page not found" in body.decode() and "页面不存在" in body.decode()


def raw(sample, request: bytes, timeout: float = 5) -> bytes:
    """Send ``request`` as it is and return the whole answer."""
    host, port = sample.base.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1:{port}", True), ("localhost:{port}", True), ("[::1]:{port}", True), ("192.168.1.5:{port}", True),
    ("attacker.example:{port}", False), ("127.0.0.1.nip.io", False), ("", False)])
def test_only_loopback_names_and_addresses_are_answered(sample, host, allowed):
    """A DNS-rebinding page sends its own name as Host: it gets 403, not the site or its drafts."""
    port = sample.base.rstrip("/").rsplit(":", 1)[1]
    header = f"Host: {host.format(port=port)}\r\n" if host else ""
    answer = raw(sample, f"GET /en/ HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
    status = int(answer.split(b" ", 2)[1])
    assert (status == 200) == allowed and (status == 403) == (not allowed), answer[:200]


@pytest.mark.parametrize("path, status", [("/en/%00/", 400), ("/a%00b.html", 400), ("/" + "a" * 5000, 414)])
def test_nul_bytes_and_overlong_paths_are_refused_cleanly(sample, path, status):
    assert get(sample, path)[0] == status


def test_symbolic_links_out_of_the_output_folder_are_not_followed(sample, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    link = sample.output / "leak.txt"
    link.symlink_to(secret)
    try:
        status, _, body = get(sample, "/leak.txt")
    finally:
        link.unlink()
    assert status == 404 and b"not for the browser" not in body


def test_idle_connections_are_closed_and_do_not_stall_others(sample_output):
    """Twenty connections that never send a request: others are answered at once, and the idle
    ones are closed by the server after its idle timeout."""
    server = serve_in_thread(sample_output, idle_timeout=1.0)
    port = server.server_address[1]
    try:
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/en/")
        assert conn.getresponse().status == 200
        assert time.perf_counter() - started < 1.0
        for s in idle:
            s.settimeout(5)
            assert s.recv(1) == b""   # closed by the server, not by us
            s.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sample_output(sample):
    return sample.output
