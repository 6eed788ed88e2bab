"""``build.py check``: every finding about the content, as errors and warnings with file and line.

Errors are everything the build rejects (images without alt text and missing media files among
them) and links to items or pages that do not exist; warnings are missing and stale translations
and media files no item uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .content import resolve_content_link
from .files import read_text
from .errors import ContentErrors
from .model import Content
from .translations import translation_status


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


_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"", re.IGNORECASE)


def check_links(content: Content, page_urls: set[str], base_path: str) -> list[Finding]:
    """Internal links must reach an item or a page. (Images without alt text, and media files that
    are missing, are errors of the loader.)"""
    items = {(str(a.year), a.slug, a.lang) for a in content.articles}
    findings = []
    for a in content.articles:
        text = read_text(Path(a.file), a.path)
        for number, line in enumerate(text.split("\n"), start=1):
            for target in _MD_LINK.findall(line) + _HTML_LINK.findall(line):
                problem = _link_problem(target.split("#")[0], a, items, page_urls, base_path)
                if problem:
                    findings.append(Finding(a.path, number, "error", problem))
    return findings


def _link_problem(target: str, a, items, page_urls: set[str], base_path: str) -> str | None:
    if not target or ":" in target or target.startswith("//"):
        return None                                   # external (http:, mailto:) or a fragment only
    if target.endswith(".md"):
        found = resolve_content_link(target, a.year)
        if found is None or found not in items:
            return f"link to {target}: no such news item"
        return None
    if target.startswith("/"):
        path = target[len(base_path):] if target.startswith(base_path) else target.lstrip("/")
        if path not in page_urls and path.rstrip("/") + "/" not in page_urls:
            return f"link to {target}: no page of this site has that address"
    return None


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
                                f"it, then run: python build.py translations --mark {a.path}"))
    for a in status.untracked:
        findings.append(Finding(a.path, 1, "warning", "translation records no source_digest; once it matches its "
                                                      f"original, run: python build.py translations --mark {a.path}"))
    return findings
