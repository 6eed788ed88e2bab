"""The search index: Pagefind's extended binary (it segments Chinese words) over the written site.

The binary runs as a service (``pagefind_extended --service``), the way Pagefind's own Python API
drives it: it indexes one language's written pages into that language's own bundle
(``pagefind/<lang>/``, one language at a time: Pagefind holds a whole index in memory) and takes
custom records, here the items a language lists in another language only (see
``templates/search-records.json``).
We speak that protocol ourselves, synchronously: Pagefind's Python wrapper reads one answer per
100 ms, which made 100 custom records cost 10 s.

The protocol (Pagefind 1.5, pinned in pyproject.toml): each message is base64 of a JSON object
``{"message_id": n, "payload": {...}}`` followed by a comma, in both directions.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterable

from pagefind_bin_extended import get_executable

from . import urls


def bundle_of(lang: str) -> str:
    """The site-relative folder of a language's search bundle (urls.search_bundle)."""
    return urls.search_bundle(lang).rstrip("/")


def indexed_part(html: bytes) -> bytes:
    """What Pagefind reads of a page: the element marked ``data-pagefind-body`` and every tag that
    carries a ``data-pagefind-*`` attribute (metadata, filters and sorts may sit anywhere). A page
    whose indexed part is unchanged leaves its language's index unchanged. Relies on the element
    being well formed, as templates and sanitised bodies are."""
    parts = []
    at = html.find(b"data-pagefind-")
    while at != -1:
        start, end = html.rfind(b"<", 0, at), html.find(b">", at)
        parts.append(html[start:end + 1])
        at = html.find(b"data-pagefind-", end)
    body = html.find(b"data-pagefind-body")
    if body != -1:
        start = html.rfind(b"<", 0, body)
        name = html[start + 1:body].split(None, 1)[0]
        opening, closing = b"<" + name, b"</" + name + b">"
        depth, at = 1, html.find(b">", body)
        while depth and at != -1:
            next_open, next_close = html.find(opening, at), html.find(closing, at)
            if next_close == -1:
                break
            if next_open != -1 and next_open < next_close:
                depth, at = depth + 1, next_open + len(opening)
            else:
                depth, at = depth - 1, next_close + len(closing)
        parts.append(html[start:at if depth == 0 else len(html)])
    return b"\0".join(parts)


class SearchIndexError(Exception):
    pass


class _Service:
    def __init__(self):
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._stderr)
        self._buffer = b""
        self._message_id = 0

    def send(self, payload: dict) -> dict:
        self._message_id += 1
        message = {"message_id": self._message_id, "payload": payload}
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self._process.stdin.flush()
            answer = json.loads(base64.b64decode(self._read_message()))
        except (OSError, ValueError) as exc:
            raise SearchIndexError(f"pagefind stopped answering ({exc}): {self._errors()}") from exc
        result = answer["payload"]
        if result.get("type") == "Error":
            raise SearchIndexError(f"pagefind: {result.get('message')}")
        return result

    def _read_message(self) -> bytes:
        while b"," not in self._buffer:
            chunk = os.read(self._process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise OSError("the service closed its output")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b",", 1)
        return message

    def _errors(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip() or "no message"
        if self._process.poll() == -signal.SIGKILL:
            from .workers import memory_total
            text = (f"Pagefind was killed, in practice by the kernel for lack of memory (this machine has "
                    f"{memory_total() / 2**30:.1f} GiB; Pagefind holds a language's whole index in memory); {text}")
        return text

    def finish(self, timeout: float) -> None:
        """Let the service end by itself (end of input) and wait for it: it answers WriteFiles
        before every file is on disk, so stopping it then left files empty."""
        self._process.stdin.close()
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SearchIndexError(f"pagefind did not finish writing within {timeout:.0f} s") from None
        if code != 0:
            raise SearchIndexError(f"pagefind exited with code {code}: {self._errors()}")

    def close(self) -> None:
        if self._process.poll() is None:
            if not self._process.stdin.closed:
                self._process.stdin.close()
            self._process.terminate()
        self._process.wait()
        self._stderr.close()


FINISH_TIMEOUT = 600.0   # seconds Pagefind may take to finish writing after it answered


def index_language(site: Path, lang: str, records: Iterable[dict], bundle: Path) -> None:
    """Index the pages of ``site`` under ``lang/`` plus ``records`` into ``bundle``, wait until
    Pagefind has finished writing, and check that the bundle is complete (see ``verify_bundle``):
    search is complete or SearchIndexError is raised. One language at a time: Pagefind holds the
    whole index it builds in memory, and each search page needs only its own language's.

    Each record has ``url``, ``content``, ``language`` and optionally ``meta``, ``filters``, ``sort``."""
    try:
        _index(site, lang, records, bundle)
    except SearchIndexError as exc:
        raise SearchIndexError(f"indexing the {lang} pages: {exc}") from None


def _index(site: Path, lang: str, records: Iterable[dict], bundle: Path) -> None:
    service = _Service()
    try:
        index_id = service.send({"type": "NewIndex", "config": None})["index_id"]
        result = service.send({"type": "AddDir", "index_id": index_id, "path": str(site),
                               "glob": f"{lang}/**/*.{{html}}"})
        if not result.get("page_count"):
            raise SearchIndexError(f"pagefind found no {lang} pages to index in {site}")
        for record in records:
            service.send({"type": "AddRecord", "index_id": index_id, **record})
        service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(bundle)})
        _wait_written(bundle, (lang,), FINISH_TIMEOUT)
        service.finish(FINISH_TIMEOUT)
    finally:
        service.close()
    verify_bundle(bundle, (lang,))


ENTRY = "pagefind-entry.json"


def _listing(bundle: Path) -> dict[str, int]:
    return {p.as_posix(): p.stat().st_size for p in bundle.rglob("*") if p.is_file()}


def _wait_written(bundle: Path, languages: Iterable[str], timeout: float) -> None:
    """Wait until the bundle is complete and has stopped changing. Pagefind answers WriteFiles
    before its files are on disk, and when its input ends it may exit with writes still pending
    (1 build in about 25 had an empty pagefind-entry.json): so it is kept running until then."""
    deadline = time.monotonic() + timeout
    languages = tuple(languages)
    before, changed = None, time.monotonic()
    while time.monotonic() < deadline:
        try:
            now = _listing(bundle)
        except OSError:
            now = None
        if now != before:
            before, changed = now, time.monotonic()
        elif time.monotonic() - changed > STALLED:
            return                  # nothing moves (a full disk): verify_bundle will say what is wrong
        elif time.monotonic() - changed >= SETTLED:
            try:
                verify_bundle(bundle, languages)
                return              # complete, and unchanged for a while
            except SearchIndexError:
                pass
        time.sleep(0.05)


SETTLED = 0.2   # seconds a complete bundle must stay unchanged before Pagefind may be told to stop
STALLED = 2.0   # seconds without any change to the bundle after which Pagefind is not writing any more


def verify_bundle(bundle: Path, languages: Iterable[str] = ()) -> None:
    """A bundle is complete when its entry file parses and names an index for every language
    expected, every file it names exists, and no file in it is empty (Pagefind reports success
    on a full disk with empty files)."""
    def incomplete(problem: str) -> SearchIndexError:
        return SearchIndexError(f"the search index in {bundle} is incomplete: {problem}")

    empty = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0)
    if empty:
        raise incomplete(f"{len(empty)} empty file{'s' if len(empty) != 1 else ''} ({', '.join(empty[:3])}); "
                         f"is the disk full?")
    try:
        entry = json.loads((bundle / ENTRY).read_bytes())
        indexes = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise incomplete(f"{ENTRY} cannot be read ({exc})") from None
    missing = sorted(set(languages) - set(indexes))
    if missing:
        raise incomplete(f"no index for {', '.join(missing)}")
    for lang, index in indexes.items():
        named = [f"pagefind.{index.get('hash')}.pf_meta"] + ([f"wasm.{index['wasm']}.pagefind"] if index.get("wasm") else [])
        absent = [name for name in named if not (bundle / name).is_file()]
        if absent:
            raise incomplete(f"{ENTRY} names {', '.join(absent)} for '{lang}', which is missing")
    for script in ("pagefind.js", "pagefind-ui.js", "pagefind-worker.js"):
        if not (bundle / script).is_file():
            raise incomplete(f"{script} is missing")
