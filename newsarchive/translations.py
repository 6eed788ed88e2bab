"""Translation tracking: which items miss a language, which translations are stale, and marking
a translation as brought up to date (recording the original's current digest)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import LANGUAGES
from .indexes import build_indexes
from .model import Article, Content


@dataclass(frozen=True)
class Status:
    missing: tuple[tuple[Article, str], ...]        # (an existing version, the language it lacks)
    stale: tuple[tuple[Article, Article], ...]      # (translation, its original)
    untracked: tuple[Article, ...]                  # translations that record no source_digest


def translation_status(content: Content) -> Status:
    indexes = build_indexes(content, drafts=True)
    missing, stale, untracked = [], [], []
    for versions in indexes.versions.values():
        present = sorted(versions.values(), key=lambda a: a.lang)
        for lang in LANGUAGES:
            if lang not in versions:
                missing.append((present[0], lang))
        for a in present:
            if a.translated_from and a.translated_from in versions:
                if indexes.is_stale(a):
                    stale.append((a, versions[a.translated_from]))
                elif a.source_digest is None:
                    untracked.append(a)
    key = lambda a: (-a.year, a.slug)  # noqa: E731
    return Status(tuple(sorted(missing, key=lambda m: key(m[0]))), tuple(sorted(stale, key=lambda s: key(s[0]))),
                  tuple(sorted(untracked, key=key)))


def format_status(status: Status) -> str:
    """A report grouped by year, newest first."""
    years = sorted({a.year for a, _ in status.missing} | {a.year for a, _ in status.stale}
                   | {a.year for a in status.untracked}, reverse=True)
    lines = []
    for year in years:
        lines.append(f"{year}")
        for a, lang in status.missing:
            if a.year == year:
                lines.append(f"  missing {lang}: {a.path} ({a.title})")
        for a, original in status.stale:
            if a.year == year:
                lines.append(f"  stale: {a.path} (its original {original.path} changed since it was translated)")
        for a in status.untracked:
            if a.year == year:
                lines.append(f"  untracked: {a.path} records no source_digest; mark it once it matches its original")
    n_missing, n_stale = len(status.missing), len(status.stale)
    lines.append(f"{n_missing} missing translation{'s' if n_missing != 1 else ''}, "
                 f"{n_stale} stale, {len(status.untracked)} untracked")
    return "\n".join(lines)


class MarkError(Exception):
    pass


_FRONT_END = re.compile(r"^---[ \t]*$", re.MULTILINE)


def mark(path: Path, content: Content) -> str:
    """Record in the translation at ``path`` the digest its original has now; returns that digest."""
    target = path.resolve()
    article = next((a for a in content.articles if Path(a.file).resolve() == target), None)
    if article is None:
        raise MarkError(f"{path} is not a news item of this archive")
    if not article.translated_from:
        raise MarkError(f"{path} names no original (translated_from); only translations are marked")
    original = build_indexes(content, drafts=True).original(article)
    if original is None:
        raise MarkError(f"{path}: its original ({article.translated_from}) does not exist")
    raw = path.read_bytes()
    newline = "\r\n" if b"\r\n" in raw else "\r" if b"\r" in raw else "\n"   # kept as the editor's file has them
    text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    closing = list(_FRONT_END.finditer(text))[1]
    front, rest = text[: closing.start()], text[closing.start():]
    line = f"source_digest: \"{original.digest}\""  # quoted: YAML would read 1234e567… as a number
    if re.search(r"^source_digest:.*$", front, re.MULTILINE):
        front = re.sub(r"^source_digest:.*$", line, front, count=1, flags=re.MULTILINE)
    else:
        front = front + line + "\n"
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    path.write_bytes((bom + (front + rest).replace("\n", newline)).encode("utf-8"))
    return original.digest
