"""The preview server behaves like static hosting and answers only files under the output folder."""
from __future__ import annotations

import http.client

import pytest


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
    assert get(sample, "/pagefind/pagefind-ui.js")[0] == 200


def test_folder_without_slash_redirects(sample):
    assert get(sample, "/en/news")[0] == 301


@pytest.mark.parametrize("path", ["/en/no-such-page/", "/pagefind/", "/../pyproject.toml", "/%2e%2e/site.yaml",
                                  "//etc/passwd", "/en/../../README.md"])
def test_missing_and_escaping_paths_get_the_404_page(sample, path):
    status, ctype, body = get(sample, path)
    assert status == 404
    assert "Page not found" in body.decode() and "页面不存在" in body.decode()
