"""Finding content files: news items under ``news/<year>/`` and media in ``news/<year>/<slug>/``.

Walks with os.scandir and strings and stats each file once: on a 2,000-file archive this runs on
every live rebuild, and the stat is what lets unchanged files go unread. Anything that is not a
regular file, a link out of ``content/`` or a link loop is reported, never followed.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from .config import LANGUAGES
from .errors import ContentError
from .files import kind_of, unreadable

NEWS_DIR = "news"


# Every pattern is matched whole (fullmatch) and in ASCII: "$" also matches before a final newline,
# and \d matches look-alike digits (２０２３, ٢٠٢٣) that int() reads as 2023.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_YEAR_RE = re.compile(r"[0-9]{4}")


_FILE_RE = re.compile(r"(?P<slug>[^.]+)\.(?P<lang>[^.]+)\.md")


def display(path: Path, project: Path) -> str:
    """A path as an editor reads it: from the working folder if it is inside, else from ``project``."""
    for base in (Path.cwd(), project):
        try:
            return path.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            continue
    return str(path)


def _is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are not content."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class MediaFile(NamedTuple):
    """A file in an item's media folder."""
    file: str      # absolute
    name: str      # as shown in messages


class Found(NamedTuple):
    """A Markdown file found under news/, with the stat signature that tells whether it changed."""
    file: str
    name: str
    year: str
    slug: str
    lang: str
    signature: tuple[int, int, int, int]    # mtime_ns, ctime_ns, size, inode

    @property
    def mtime_ns(self) -> int:
        return self.signature[0]


def article_files(news: Path, project: Path, errors: list[ContentError], media: dict | None = None):
    """Yield every Markdown file under news/ as a Found, in a stable order; report misplaced ones.

    Files in an item's media folder (``news/<year>/<slug>/``) go into ``media`` as
    (year, slug) -> {file name: MediaFile}."""
    root = news.resolve()
    prefix = display(news, project)
    visited: set[tuple[int, int]] = set()   # folders walked, so that a link back up is not walked again

    def walk(folder: str, rel: list[str]):
        try:
            st = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            errors.append(ContentError("/".join([prefix, *rel]), 1, "folder", unreadable(exc)))
            return
        if (st.st_dev, st.st_ino) in visited:
            errors.append(ContentError("/".join([prefix, *rel]), 1, "folder",
                                       "is a link to a folder it is inside (a loop); remove it"))
            return
        visited.add((st.st_dev, st.st_ino))
        folders = []
        for entry in entries:
            name = "/".join([prefix, *rel, entry.name])
            if not entry.name.isprintable():   # a line break in a name would break every message and the sitemap
                shown = "/".join([prefix, *rel, entry.name.encode("unicode_escape").decode("ascii")])
                errors.append(ContentError(shown, 1, "path", "the name holds a line break or control character; "
                                                             "rename it"))
                continue
            try:
                is_dir = entry.is_dir()
                if entry.name.startswith(".") if is_dir else _is_ignored(entry.name):
                    continue
                if entry.is_symlink() and not _inside(entry.path, root, errors, name):
                    continue
            except OSError as exc:
                errors.append(ContentError(name, 1, "file", unreadable(exc)))
                continue
            if is_dir:
                folders.append(entry)
                continue
            if not entry.name.endswith(".md"):
                if media is not None and len(rel) == 2 and _YEAR_RE.fullmatch(rel[0]):
                    media.setdefault((int(rel[0]), rel[1]), {})[entry.name] = MediaFile(entry.path, name)
                continue
            found = _check_place(entry, name, [*rel, entry.name], errors)
            if found is not None:
                yield found
        for entry in folders:
            yield from walk(entry.path, [*rel, entry.name])

    yield from walk(str(news), [])


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a news item (file names, URLs), or None when it can."""
    if not SLUG_RE.fullmatch(slug) or slug.isdigit():
        return f"slug '{slug}' must use only a-z, 0-9 and single hyphens, and not be a number"
    return None


def _check_place(entry: os.DirEntry, name: str, rel: list[str], errors: list[ContentError]) -> Found | None:
    match = _FILE_RE.fullmatch(entry.name)
    if len(rel) != 2 or not _YEAR_RE.fullmatch(rel[0]) or not match:
        errors.append(ContentError(name, 1, "path", f"news items live at {NEWS_DIR}/<year>/<slug>.<lang>.md"))
        return None
    slug, lang = match["slug"], match["lang"]
    if lang not in LANGUAGES:
        errors.append(ContentError(name, 1, "path", f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}"))
        return None
    problem = slug_problem(slug)
    if problem:
        errors.append(ContentError(name, 1, "path", problem))
        return None
    try:
        st = entry.stat()
    except OSError as exc:   # removed between listing and stat, a dangling link, a link loop
        errors.append(ContentError(name, 1, "file", unreadable(exc)))
        return None
    if not stat.S_ISREG(st.st_mode):
        errors.append(ContentError(name, 1, "file", f"is {kind_of(st.st_mode)}, not a file; remove it"))
        return None
    return Found(entry.path, name, rel[0], slug, lang, (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))


def _inside(link: str, root: Path, errors: list[ContentError], name: str) -> bool:
    """A symbolic link inside content/ must point inside it; one that points outside is refused."""
    try:
        target = Path(link).resolve(strict=True)
    except RuntimeError:   # Python 3.11 reports a link loop so
        raise OSError(errno.ELOOP, "link loop") from None
    if target.is_relative_to(root):
        return True
    errors.append(ContentError(name, 1, "file", "is a link to outside content/; refused"))
    return False
