"""``build.py check``: every finding about the content, as errors and warnings with file and line.

Errors are everything the build rejects (images without alt text and missing media files among
them) and links to items or pages that do not exist; warnings are missing and stale translations
and media files no item uses.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import ContentErrors
from .media import LARGE_ORIGINAL, large_original
from .model import Content
from .translations import changes_of, translation_status


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    level: str          # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command. Its message and its properties are escaped as the
        runner reads them, so that a file name holding ``,line=1,title=…`` or ``::`` cannot add
        or change an annotation."""
        return f"::{self.level} file={_property(self.path)},line={self.line}::{_data(self.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def from_errors(exc: ContentErrors) -> list[Finding]:
    return [Finding(e.path, e.line, "error", f"{e.field}: {e.message}") for e in exc.errors]


def vanished_findings(project, loaded, rev: str) -> list[Finding]:
    """Published addresses that are gone since ``rev`` (history.py), each an error with how to keep it."""
    from .history import HistoryError, how_to_keep, vanished_addresses
    from .indexes import build_indexes
    from .plan import plan_site

    indexes = build_indexes(loaded.content, link_missing=loaded.config.missing_translations == "link")
    addresses = {page.url for page in plan_site(indexes, loaded.config, None, loaded.content.redirects)}
    try:
        gone = vanished_addresses(project.content, project.root, rev, addresses, loaded.config.zone,
                                  loaded.config.missing_translations == "link")
    except HistoryError as exc:
        return [Finding(str(project.content), 1, "error", f"cannot compare with {rev}: {exc}")]
    return [Finding(v.file, 1, "error", how_to_keep(v)) for v in gone]


def media_findings(content: Content) -> list[Finding]:
    """Files in media folders that no item uses (they are not published), and media folders of
    no item."""
    used: dict[tuple, set[str]] = {}
    for a in content.articles:
        used.setdefault(a.item, set()).update(ref.name for ref in a.refs)
    findings = []
    for item, files in content.media.items():
        for name, found in sorted(files.items()):
            try:
                size = os.stat(found.file).st_size
            except OSError:
                size = 0
            if size > LARGE_ORIGINAL:
                findings.append(Finding(found.name, 1, "warning", large_original(found.name, size)))
            if item not in used:
                findings.append(Finding(found.name, 1, "warning", f"no news item {item[1]} in {item[0]}: this media "
                                                                  f"folder belongs to none, and is not published"))
            elif name not in used[item]:
                findings.append(Finding(found.name, 1, "warning", "no item uses this file, so it is not published"))
    return findings


def translation_findings(content: Content) -> list[Finding]:
    status = translation_status(content)
    findings = [Finding(a.path, 1, "warning", f"no {lang} translation") for a, lang in status.missing]
    for a, original in status.stale:
        findings.append(Finding(a.path, 1, "warning",
                                f"stale translation: {original.path} changed since it was translated; update "
                                f"it, then run: .venv/bin/python build.py translations --mark {a.path}\n"
                                + "\n".join(changes_of(a, original))))
    for a in status.untracked:
        findings.append(Finding(a.path, 1, "warning", "translation records no source_digest; once it matches its "
                                                      f"original, run: .venv/bin/python build.py translations --mark {a.path}"))
    return findings
