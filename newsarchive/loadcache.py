"""The parse cache: what loads keep between them, in memory (the preview) and on disk (builds).

On disk it is data (cachefile.py: signed JSON), never code, and it is read only when this same
code, with the same libraries that parse and sanitise, wrote it on this machine.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from . import cachefile
from .discovery import Found
from .errors import ContentErrors
from .files import read_regular
from .model import Article, LeadImage, MediaRef, Moment
from .workers import in_chunks


@dataclass(frozen=True)
class Parsed:
    """A news file as parsing left it: its article, and the line of each front matter field
    (for messages about the checks between files)."""

    article: Article
    lines: dict[str, int]
    image_texts: dict[str, str] = field(default_factory=dict)   # a translation's image_alt, … of its original's photo


class LoadCache:
    """What loads keep between them, so that a live rebuild re-reads only what changed.

    A file is parsed again only when its bytes (or the vocabularies) changed, and read again only
    when its stat signature changed or it was modified so recently that a second write within the
    file system's timestamp granularity could hide behind the same signature ("racy" files, as git
    calls them). Settings and catalogues are parsed again only when their files' bytes change.
    The live preview keeps one; a plain build starts without."""

    RACY_NS = 50_000_000     # files modified less than this before they were read are read again

    def __init__(self):
        # file -> (signature, read_ns, digest of its bytes, options, result); a result read from
        # disk stays plain data until it is used (decoded by _result)
        self.entries: dict[str, tuple] = {}
        self.reads = 0                        # news files read so far (the benchmark and tests show it)
        self._memo: dict[str, tuple] = {}
        self._dirty: set[str] | None = None   # shards changed since loaded from disk (None: all)

    def _set(self, file: str, entry: tuple) -> None:
        self.entries[file] = entry
        if self._dirty is not None:
            self._dirty.add(_shard(file))

    def _result(self, file: str) -> Any:
        entry = self.entries[file]
        if isinstance(entry[4], dict):
            entry = entry[:4] + (_decode(entry[4]),)
            self.entries[file] = entry
        return entry[4]

    def load_many(self, requests: list[tuple[Found, str, Callable[[bytes], Parsed]]], progress=None) -> list:
        """``parse(bytes)`` of each (found, options, parse), or the ContentErrors or OSError that
        reading or parsing it raised. Besides its bytes, parsing depends on ``options`` (a text
        naming the vocabularies, settings and the name messages show). Files that must be parsed
        are parsed in worker processes when there are many (workers.in_chunks)."""
        results: list = [None] * len(requests)
        todo: list[tuple[int, bytes, int]] = []      # (request, bytes, when read)
        for i, (found, options, _parse) in enumerate(requests):
            cached = self.entries.get(found.file)
            if (cached is not None and cached[0] == found.signature and found.mtime_ns < cached[1] - self.RACY_NS
                    and cached[3] == options):
                results[i] = self._result(found.file)
                continue
            read_ns = time.time_ns()
            try:
                data = read_regular(found.file)
            except OSError as exc:
                results[i] = exc
                continue
            self.reads += 1
            digest = _digest(data)
            if cached is not None and cached[2] == digest and cached[3] == options:
                results[i] = self._result(found.file)
                self._set(found.file, (found.signature, read_ns, digest, options, results[i]))
            else:
                todo.append((i, data, read_ns))

        def job(chunk: range) -> list:
            parsed = []
            for k in chunk:
                i, data, _ = todo[k]
                try:
                    parsed.append(requests[i][2](data))
                except ContentErrors as exc:
                    parsed.append(exc)
            return parsed

        for (i, data, read_ns), result in zip(todo, in_chunks(job, range(len(todo)), progress)):
            found, options, _parse = requests[i]
            self._set(found.file, (found.signature, read_ns, _digest(data), options, result))
            results[i] = result
        return results

    # --- kept on disk between builds (CI restores the folder) ---------------------------------
    # ``path`` holds the list of shards, one per folder of news files (a year), each in its own file
    # under ``path.d/``: a build after one edit writes one shard again, not the whole archive.
    # Every file is signed JSON (cachefile.py); a shard that fails its check is parsed again.
    def save(self, path: Path) -> None:
        """Write the parsed files (not the failures) of every shard changed since the cache was
        loaded, then the list of shards, each file replaced whole."""
        shards: dict[str, dict] = {}
        for file, entry in self.entries.items():
            if not isinstance(entry[4], ContentErrors):
                shards.setdefault(_shard(file), {})[file] = entry
        folder = path.with_name(path.name + ".d")
        folder.mkdir(parents=True, exist_ok=True)
        names = {key: hashlib.sha256(key.encode()).hexdigest()[:16] + ".json" for key in shards}
        version = cache_version()
        for key, entries in shards.items():
            target = folder / names[key]
            if self._dirty is None or key in self._dirty or not target.exists():
                cachefile.write(target, "parse-shard", version, {
                    file: [list(entry[0]), entry[1], entry[2], entry[3], _encode(entry[4])]
                    for file, entry in entries.items()})
        cachefile.write(path, "parse-cache", version, {"shards": names})
        for stale in set(p.name for p in folder.iterdir() if p.suffix in (".json", ".pickle")) - set(names.values()):
            (folder / stale).unlink(missing_ok=True)
        self._dirty = set()

    @classmethod
    def saved(cls, path: Path) -> "LoadCache":
        """The cache saved at ``path`` by this same code on this machine, or an empty one (a
        shard that fails its check is left out). A saved entry is used for a file whose stat
        signature is the same and older than the read by the racy margin, or whose bytes are the
        same, as within a process."""
        cache = cls()
        version = cache_version()
        index = cachefile.read(path, "parse-cache", version)
        if not isinstance(index, dict) or not isinstance(index.get("shards"), dict):
            return cache
        folder = path.with_name(path.name + ".d")
        for name in index["shards"].values():
            shard = cachefile.read(folder / str(name), "parse-shard", version)
            if not isinstance(shard, dict):
                continue   # its files are parsed again
            for file, (signature, read_ns, digest, options, result) in shard.items():
                cache.entries[file] = (tuple(signature), read_ns, digest, options, result)
        cache._dirty = set()
        return cache

    def keep_only(self, files: set[str]) -> None:
        """Forget files that are gone."""
        for file in self.entries.keys() - files:
            del self.entries[file]
            if self._dirty is not None:
                self._dirty.add(_shard(file))

    def memo(self, key: str, files: tuple[Path, ...], make: Callable[[], Any]) -> Any:
        """``make()``, kept while the bytes of ``files`` stay the same (errors are not kept)."""
        stamp = tuple(f.read_bytes() if f.is_file() else None for f in files)
        cached = self._memo.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        value = make()
        self._memo[key] = (stamp, value)
        return value


def _shard(file: str) -> str:
    return file.rsplit("/", 1)[0]


def code_version() -> str:
    """Saved caches hold what this package made: they are valid only for the same code."""
    h = hashlib.sha256(sys.version.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + module.read_bytes())
    return h.hexdigest()


# the libraries that shape a parsed file: front matter, Markdown, the sanitiser, CLDR's names
PARSING_LIBRARIES = ("PyYAML", "python-frontmatter", "markdown", "nh3", "babel")


def library_versions(names: tuple[str, ...]) -> str:
    return repr([(name, package_version(name)) for name in names])


def cache_version() -> str:
    """The parse cache's version: this code and every library that shapes what parsing makes (a
    sanitiser fix makes HTML already cached void)."""
    return code_version() + library_versions(PARSING_LIBRARIES)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- a parsed file as plain data, and back ------------------------------------------------------
def _moment(m: Moment | None) -> list | None:
    return None if m is None else [m.at.isoformat(), m.timed, str(m.at.tzinfo)]


def _from_moment(data) -> Moment | None:
    if data is None:
        return None
    at, timed, zone = data
    return Moment(dt.datetime.fromisoformat(at).astimezone(ZoneInfo(zone)), timed)


def _encode(parsed: Parsed) -> dict:
    a = parsed.article
    values = {name: getattr(a, name) for name in _PLAIN_FIELDS}
    return {**values, "published": _moment(a.published), "updated": _moment(a.updated),
            "image": None if a.image is None else [a.image.name, a.image.alt, a.image.caption, a.image.credit],
            "refs": [[r.name, r.line, r.field, r.image] for r in a.refs], "lines": parsed.lines,
            "image_texts": parsed.image_texts}


def _decode(data: dict) -> Parsed:
    values = {name: data[name] for name in _PLAIN_FIELDS}
    for name in ("tags", "countries", "institutions", "aliases"):
        values[name] = tuple(values[name])
    values["links"] = tuple((target, line) for target, line in values["links"])
    article = Article(**values, published=_from_moment(data["published"]), updated=_from_moment(data["updated"]),
                      image=None if data["image"] is None else LeadImage(*data["image"]),
                      refs=tuple(MediaRef(*ref) for ref in data["refs"]))
    return Parsed(article, dict(data["lines"]), dict(data["image_texts"]))


_PLAIN_FIELDS = ("path", "file", "lang", "year", "slug", "title", "summary", "tags", "countries", "institutions",
                 "source", "source_url", "translated_from", "draft", "body_html", "digest", "source_digest", "stamp",
                 "aliases", "links")
