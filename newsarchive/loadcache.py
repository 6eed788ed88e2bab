"""The parse cache: what loads keep between them, in memory (the preview) and on disk (builds)."""
from __future__ import annotations

import hashlib
import pickle
import sys
import time
from pathlib import Path
from typing import Any, Callable

from .discovery import Found
from .errors import ContentErrors
from .files import read_regular, replace_bytes
from .workers import in_chunks


class LoadCache:
    """What loads keep between them, so that a live rebuild re-reads only what changed.

    A file is parsed again only when its bytes (or the vocabularies) changed, and read again only
    when its stat signature changed or it was modified so recently that a second write within the
    file system's timestamp granularity could hide behind the same signature ("racy" files, as git
    calls them). Settings and catalogues are parsed again only when their files' bytes change.
    The live preview keeps one; a plain build starts without."""

    RACY_NS = 50_000_000     # files modified less than this before they were read are read again

    def __init__(self):
        self.entries: dict[str, tuple] = {}   # file -> (signature, read_ns, bytes, options, result)
        self.reads = 0                        # news files read so far (the benchmark and tests show it)
        self._memo: dict[str, tuple] = {}
        self._dirty: set[str] | None = None   # shards changed since loaded from disk (None: all)

    def _set(self, file: str, entry: tuple) -> None:
        self.entries[file] = entry
        if self._dirty is not None:
            self._dirty.add(_shard(file))

    def load_many(self, requests: list[tuple[Found, tuple, Callable[[bytes], Any]]], progress=None) -> list:
        """``parse(bytes)`` of each (found, options, parse), or the ContentErrors or OSError that
        reading or parsing it raised. Besides its bytes, parsing depends on ``options``
        (vocabularies, settings, the name messages show). Files that must be parsed are parsed in
        worker processes when there are many (workers.in_chunks)."""
        results: list = [None] * len(requests)
        todo: list[tuple[int, bytes, int]] = []      # (request, bytes, when read)
        for i, (found, options, _parse) in enumerate(requests):
            cached = self.entries.get(found.file)
            if (cached is not None and cached[0] == found.signature and found.mtime_ns < cached[1] - self.RACY_NS
                    and cached[3] == options):
                results[i] = cached[4]
                continue
            read_ns = time.time_ns()
            try:
                data = read_regular(found.file)
            except OSError as exc:
                results[i] = exc
                continue
            self.reads += 1
            if cached is not None and cached[2] == data and cached[3] == options:
                results[i] = cached[4]
                self._set(found.file, (found.signature, read_ns, data, options, cached[4]))
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
            self._set(found.file, (found.signature, read_ns, data, options, result))
            results[i] = result
        return results

    # --- kept on disk between builds (CI restores the folder) ---------------------------------
    # ``path`` holds the list of shards, one per folder of news files (a year), each in its own file
    # under ``path.d/``: a build after one edit writes one shard again, not the whole archive.
    def save(self, path: Path) -> None:
        """Write the parsed files (not the failures) of every shard changed since the cache was
        loaded, then the list of shards, each file replaced whole."""
        shards: dict[str, dict] = {}
        for file, entry in self.entries.items():
            if not isinstance(entry[4], ContentErrors):
                shards.setdefault(_shard(file), {})[file] = entry
        folder = path.with_name(path.name + ".d")
        folder.mkdir(parents=True, exist_ok=True)
        names = {key: hashlib.sha256(key.encode()).hexdigest()[:16] + ".pickle" for key in shards}
        for key, entries in shards.items():
            target = folder / names[key]
            if self._dirty is None or key in self._dirty or not target.exists():
                replace_bytes(target, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        replace_bytes(path, pickle.dumps({"version": code_version(), "shards": names}))
        for stale in set(p.name for p in folder.glob("*.pickle")) - set(names.values()):
            (folder / stale).unlink(missing_ok=True)
        self._dirty = set()

    @classmethod
    def saved(cls, path: Path) -> "LoadCache":
        """The cache saved at ``path`` by this same code, or an empty one (a shard that cannot be
        read is left out). A saved entry is used for a file whose stat signature is the same and
        older than the read by the racy margin, or whose bytes are the same, as within a process."""
        cache = cls()
        try:
            data = pickle.loads(path.read_bytes())
            if data["version"] != code_version():
                return cache
            folder = path.with_name(path.name + ".d")
            for name in data["shards"].values():
                try:
                    cache.entries.update(pickle.loads((folder / name).read_bytes()))
                except Exception:   # noqa: BLE001 - that shard's files are parsed again
                    continue
            cache._dirty = set()
        except Exception:   # missing, unreadable or from other code: start afresh  # noqa: BLE001
            pass
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
    """Saved caches hold this package's objects: they are valid only for the same code."""
    h = hashlib.sha256(sys.version.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + module.read_bytes())
    return h.hexdigest()
