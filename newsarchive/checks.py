"""``build.py check``: every finding about the content, as errors and warnings with file and line.

Errors are everything the build rejects, links to items or pages that do not exist, and images
without alt text; warnings are missing and stale translations.
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
        text = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.level} file={self.path},line={self.line}::{text}"


def from_errors(exc: ContentErrors) -> list[Finding]:
    return [Finding(e.path, e.line, "error", f"{e.field}: {e.message}") for e in exc.errors]


_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)")
_HTML_IMAGE = re.compile(r"<img\s[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt\s*=\s*\"([^\"]*)\"", re.IGNORECASE)


def check_links_and_images(content: Content, page_urls: set[str], base_path: str) -> list[Finding]:
    """Internal links must reach an item or a page; every image needs alt text."""
    items = {(str(a.year), a.slug, a.lang) for a in content.articles}
    findings = []
    for a in content.articles:
        text = read_text(Path(a.file), a.path)
        for number, line in enumerate(text.split("\n"), start=1):
            for target in _MD_LINK.findall(line) + _HTML_LINK.findall(line):
                problem = _link_problem(target.split("#")[0], a, items, page_urls, base_path)
                if problem:
                    findings.append(Finding(a.path, number, "error", problem))
            for alt, src in _MD_IMAGE.findall(line):
                if not alt.strip():
                    findings.append(Finding(a.path, number, "error", f"image {src} has no alt text"))
            for tag in _HTML_IMAGE.findall(line):
                alt = _ALT.search(tag)
                if not alt or not alt.group(1).strip():
                    findings.append(Finding(a.path, number, "error", f"image {tag} has no alt text"))
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
