"""Fingerprints of planned pages: a page is rendered again only when its fingerprint changes.

A fingerprint covers everything a page is rendered from: the templates, catalogues, config and
tag vocabulary (the "site digest"; any change there re-renders everything), the page's template
and URL, and its context, where an article counts by its file's stamp (path and content digest).
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any, Iterable

from .model import Article, Page


def digest_files(folders: Iterable[Path]) -> str:
    """One digest over every file under the given folders (names and bytes)."""
    h = hashlib.sha256()
    for folder in folders:
        if folder.is_file():
            h.update(folder.name.encode() + b"\0" + folder.read_bytes())
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Fingerprinter:
    """Computes page fingerprints for one build; large shared values are stamped once."""

    def __init__(self, site_digest: str):
        self.site_digest = site_digest
        self._memo: dict[int, str] = {}
        self._alive: list[Any] = []

    def page(self, page: Page) -> str:
        h = hashlib.sha256(self.site_digest.encode())
        h.update(f"\0{page.template}\0{page.url}\0".encode())
        h.update(self._stamp(page.context).encode())
        return h.hexdigest()

    def _stamp(self, value: Any) -> str:
        if isinstance(value, Article):
            return f"A({value.path}:{value.stamp})"
        if isinstance(value, (str, int, float, bool, type(None))) or hasattr(value, "isoformat"):
            return repr(value)
        key = id(value)
        if key not in self._memo:
            stamp = self._compose(value)
            if len(stamp) > 256:  # long stamps are hashed once, then shared by every page holding them
                stamp = hashlib.sha256(stamp.encode()).hexdigest()
            self._memo[key] = stamp
            self._alive.append(value)  # an id stays unique only while its object lives
        return self._memo[key]

    def _compose(self, value: Any) -> str:
        if hasattr(value, "items"):
            return "{" + ",".join(f"{self._stamp(k)}:{self._stamp(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (tuple, list)):
            return "(" + ",".join(self._stamp(v) for v in value) + ")"
        if dataclasses.is_dataclass(value):
            fields = ",".join(f"{f.name}={self._stamp(getattr(value, f.name))}" for f in dataclasses.fields(value))
            return f"{type(value).__name__}({fields})"
        raise TypeError(f"cannot fingerprint {type(value).__name__} in a page context")
