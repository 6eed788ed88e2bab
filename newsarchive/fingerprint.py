"""Fingerprints of planned pages: a page is rendered again only when its fingerprint changes.

A fingerprint covers everything a page is rendered from: the templates, catalogues, config and
tag vocabulary (the "site digest"; any change there re-renders everything), the page's template
and URL, and its context. The context is taken by ``repr``: contexts hold only plain values,
dates, tuples, mappings, frozen dataclasses and articles, whose repr is their file and the digest
of its bytes (model.Article), so the repr changes exactly when what the page shows can change.
"""
from __future__ import annotations

import hashlib
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
