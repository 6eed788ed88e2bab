"""Translation tracking: which items miss a language, which translations are stale, and marking
a translation as brought up to date (recording the original's current digest)."""
from __future__ import annotations

import difflib
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


def changes_of(translation: Article, original: Article) -> list[str]:
    """What changed in the original since the translation was marked, as diff lines, or a word
    that it cannot be told."""
    found = what_changed(original, translation.source_digest) if translation.source_digest else None
    if found is None:
        return [f"(what changed cannot be shown: the version of {original.path} it was translated from is not in "
                f"git's history)"]
    return found or ["(only the front matter or white space changed)"]


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
                lines += ["      " + line for line in changes_of(a, original)]
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


def _text_of(data: bytes, name: str) -> tuple[str, str] | None:
    """(digest, the text a translator translates) of one version of an item file."""
    import frontmatter

    from .content import content_digest
    from .history import _front_matter
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        _, body = frontmatter.YAMLHandler().split(text)
    except (UnicodeDecodeError, ValueError):
        return None
    values = _front_matter(data, name)
    title, summary = str(values.get("title", "")).strip(), str(values.get("summary", "") or "").strip()
    return content_digest(title, summary, body), f"{title}\n\n{summary}\n\n{body.strip()}\n" if summary else \
        f"{title}\n\n{body.strip()}\n"


MAX_DIFF_LINES = 40
MAX_VERSIONS = 200


def what_changed(original: Article, digest: str) -> list[str] | None:
    """The lines of the original's text (title, summary, body) that changed since the version
    whose digest is ``digest`` (the one a translation was made from), as a unified diff, found
    in git's history of the file; None when no version there has that digest."""
    from .history import HistoryError, _git
    path = Path(original.file)
    now = _text_of(path.read_bytes(), original.path)
    if now is None:
        return None
    try:
        top = Path(_git(path.parent, "rev-parse", "--show-toplevel").strip())
        log = _git(top, "log", f"-{MAX_VERSIONS}", "--follow", "--format=%x00%H", "--name-only", "--",
                   str(path.resolve().relative_to(top.resolve())))
    except (HistoryError, ValueError):
        return None
    for record in log.split("\0")[1:]:   # each: the commit, a blank line, the file's path then
        entry = record.split()
        if len(entry) < 2:
            continue
        sha, old_path = entry[0], entry[-1]
        try:
            version = _text_of(_git(top, "show", f"{sha}:{old_path}", binary=True), old_path)
        except HistoryError:
            continue
        if version and version[0] == digest:
            diff = difflib.unified_diff(version[1].splitlines(), now[1].splitlines(), "translated from", "now",
                                        lineterm="", n=1)
            lines = list(diff)[2:]
            return lines[:MAX_DIFF_LINES] + ([f"… {len(lines) - MAX_DIFF_LINES} more lines"]
                                            if len(lines) > MAX_DIFF_LINES else [])
    return None
