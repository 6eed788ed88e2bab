"""Work in worker processes: results in order, errors carried back, and a killed worker or a
killed Pagefind reported as lack of memory rather than as a bug."""
from __future__ import annotations

import os
import signal

import pytest

from newsarchive import workers


@pytest.fixture(autouse=True)
def in_workers(monkeypatch):
    """Work this small goes to workers, even with the threads other tests left running (whose
    locks the simple jobs here never touch)."""
    monkeypatch.setattr(workers, "MIN_ITEMS", 10)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
from newsarchive.errors import ContentError, ContentErrors
from newsarchive.search import SearchIndexError, index_language


def test_chunks_come_back_in_order_from_several_workers():
    def job(chunk):
        return [(n * n, os.getpid()) for n in chunk]

    results = workers.in_chunks(job, range(1000), workers=2)
    assert [r for r, _ in results] == [n * n for n in range(1000)]
    assert os.getpid() not in {pid for _, pid in results}   # computed in the workers


def test_content_errors_raised_in_a_worker_keep_their_errors():
    error = ContentError("content/news/2023/a.en.md", 3, "title", "is missing")

    def job(chunk):
        if 500 in chunk:
            raise ContentErrors([error])
        return list(chunk)

    with pytest.raises(ContentErrors) as caught:
        workers.in_chunks(job, range(1000), workers=2)
    assert caught.value.errors == [error]


def test_a_killed_worker_is_reported_as_lack_of_memory():
    parent = os.getpid()

    def job(chunk):
        if 500 in chunk and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)   # what the kernel's OOM killer does
        return list(chunk)

    with pytest.raises(workers.WorkerLost) as caught:
        workers.in_chunks(job, range(1000), workers=2)
    message = workers.out_of_memory(caught.value)
    assert message.startswith("a worker process was killed (this machine has ") and "GiB" in message


def test_a_killed_pagefind_is_reported_as_lack_of_memory(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_text('<html lang="en"><body><p>Words</p></body></html>')
    from newsarchive import search
    real_send = search._Service.send

    def send(self, payload):
        if payload["type"] == "WriteFiles":
            self._process.send_signal(signal.SIGKILL)
            self._process.wait()
        return real_send(self, payload)

    monkeypatch.setattr(search._Service, "send", send)
    with pytest.raises(SearchIndexError, match="Pagefind was killed, in practice by the kernel for lack of memory"):
        index_language(tmp_path, "en", [], tmp_path / "bundle")
