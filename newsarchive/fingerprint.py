"""Fingerprints of planned pages: a page is rendered again only when its fingerprint changes.

A fingerprint covers everything a page is rendered from: the templates, catalogues, config and
vocabularies (the "site digest"; any change there re-renders everything), the page's template
and URL, and its context, walked field by field (``Fingerprinter.value``): plain values, dates,
sequences, mappings and every field of every dataclass, so that a field added to a record is
covered without anyone remembering to. An article, the one source a page declares (Page.sources),
stands for its file: its path and the digest of the file's bytes, from which every one of its
fields is parsed (with the vocabularies and settings of the site digest). Anything else in a
context is an error, not a silently stale page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from .model import Article, Page


def digest_files(paths: Iterable[Path]) -> str:
    """One digest over the given files and every file under the given folders (names and bytes)."""
    h = hashlib.sha256()
    for path in paths:
        base = path.parent if path.is_file() else path
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            h.update(file.relative_to(base).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


_FIELDS: dict[type, tuple[str, ...]] = {}   # dataclass -> its field names, in order

# types whose repr says all there is (and tells them apart: 1, 1.0, True, '1', datetime.date(...))
_PLAIN = frozenset((str, int, float, bool, type(None), dt.date, dt.datetime, dt.time, dt.timedelta))


class Fingerprinter:
    """Fingerprints of the pages of one plan. Values met on several pages (an index, a listing's
    articles) are walked once: kept by identity for as long as the fingerprinter lives."""

    def __init__(self, site_digest: str):
        self.site_digest = site_digest
        self._memo: dict[int, tuple[str, Any]] = {}

    def page(self, page: Page) -> str:
        text = f"{self.site_digest}\0{page.template}\0{page.url}\0{self.value(page.context)}"
        return hashlib.sha256(text.encode()).hexdigest()

    def value(self, value: Any) -> str:
        """A text that changes whenever ``value`` could render differently."""
        kind = type(value)
        if kind in _PLAIN:
            return repr(value)
        if kind is Article:
            return f"Article({value.path}@{value.stamp})"
        cached = self._memo.get(id(value))
        if cached is not None:
            return cached[0]
        walk = self.value
        if kind is tuple or kind is list:
            text = "[" + ",".join([walk(v) for v in value]) + "]"
        elif kind is dict or isinstance(value, Mapping):
            text = "{" + ",".join([f"{walk(k)}:{walk(v)}" for k, v in value.items()]) + "}"
        elif kind in _FIELDS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            names = _FIELDS.get(kind) or _FIELDS.setdefault(kind, tuple(f.name for f in dataclasses.fields(value)))
            text = f"{kind.__qualname__}(" + ",".join([walk(getattr(value, n)) for n in names]) + ")"
        elif isinstance(value, (set, frozenset)):
            text = "{" + ",".join(sorted(walk(v) for v in value)) + "}"
        elif isinstance(value, dt.tzinfo):
            text = repr(value)
        else:
            raise TypeError(f"a page's context holds a {kind.__qualname__}, which fingerprint.py cannot "
                            f"fingerprint: make it a dataclass of plain values, or add it there")
        if len(text) > 64:
            text = "#" + hashlib.sha256(text.encode()).hexdigest()[:32]
        self._memo[id(value)] = (text, value)   # the value is kept so that its id is not reused
        return text


def stamp_inputs(paths: Iterable[Path], *extra: object) -> tuple[str, int, bool]:
    """A digest of the stat signatures (name, mtime, ctime, size, inode) of the given files and of
    every file under the given folders, with ``extra`` values; the newest mtime or ctime seen; and
    whether every time was a whole second (a file system with coarse timestamps). Equal digests
    mean no input was written since, unless one was written within the file system's timestamp
    granularity of the stamp being taken: callers trust a stamp only when its newest time is
    well before that (see pipeline.Builder). Costs one stat per file."""
    h = hashlib.sha256(repr(extra).encode())
    newest = 0
    coarse = True

    def add(path: str, st: os.stat_result) -> None:
        nonlocal newest, coarse
        h.update(f"{path}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_size}\0{st.st_ino}\n".encode())
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        coarse = coarse and st.st_mtime_ns % 1_000_000_000 == 0

    for path in paths:
        try:
            add(str(path), os.stat(path))
        except OSError:
            h.update(f"{path}\0missing\n".encode())
            continue
        for folder, dirs, files in os.walk(path):   # links to folders inside are walked at their target
            dirs.sort()
            for name in sorted(files + dirs):
                file = os.path.join(folder, name)
                try:
                    add(file, os.stat(file))
                except OSError:
                    h.update(f"{file}\0missing\n".encode())
    return h.hexdigest(), newest, coarse
