"""Fingerprints of planned pages: a page is rendered again only when its fingerprint changes.

A fingerprint covers everything a page is rendered from: the templates, catalogues, config and
tag vocabulary (the "site digest"; any change there re-renders everything), the page's template
and URL, and its context. The context is taken by ``repr``: contexts hold only plain values,
dates, tuples, mappings, frozen dataclasses and articles, whose repr is their file and the digest
of its bytes (model.Article), so the repr changes exactly when what the page shows can change.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

from .model import Page


def digest_files(paths: Iterable[Path]) -> str:
    """One digest over the given files and every file under the given folders (names and bytes)."""
    h = hashlib.sha256()
    for path in paths:
        base = path.parent if path.is_file() else path
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            h.update(file.relative_to(base).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


class Fingerprinter:
    def __init__(self, site_digest: str):
        self.site_digest = site_digest

    def page(self, page: Page) -> str:
        text = f"{self.site_digest}\0{page.template}\0{page.url}\0{page.context!r}"
        return hashlib.sha256(text.encode()).hexdigest()


def stamp_inputs(paths: Iterable[Path], *extra: object) -> tuple[str, int]:
    """A digest of the stat signatures (name, mtime, ctime, size, inode) of the given files and of
    every file under the given folders, with ``extra`` values, and the newest mtime or ctime seen.
    Equal digests mean no input was written since, unless one was written within the file
    system's timestamp granularity of the stamp being taken: callers trust a stamp only when
    its newest time is well before that (see pipeline.Builder). Costs one stat per file."""
    h = hashlib.sha256(repr(extra).encode())
    newest = 0

    def add(path: str, st: os.stat_result) -> None:
        nonlocal newest
        h.update(f"{path}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_size}\0{st.st_ino}\n".encode())
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)

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
    return h.hexdigest(), newest
