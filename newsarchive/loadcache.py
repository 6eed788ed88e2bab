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
from .files import read_regular
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
                self.entries[found.file] = (found.signature, read_ns, data, options, cached[4])
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
            self.entries[found.file] = (found.signature, read_ns, data, options, result)
            results[i] = result
        return results

    # --- kept on disk between builds (CI restores the folder) ---------------------------------
    def save(self, path: Path) -> None:
        """Write the parsed files (not the failures) to ``path``, replacing it whole."""
        entries = {f: e for f, e in self.entries.items() if not isinstance(e[4], ContentErrors)}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(pickle.dumps({"version": code_version(), "entries": entries}))
        partial.replace(path)

    @classmethod
    def saved(cls, path: Path) -> "LoadCache":
        """The cache saved at ``path`` by this same code, or an empty one. Saved entries are used
        only for files whose bytes and tag vocabulary are what they were."""
        cache = cls()
        try:
            data = pickle.loads(path.read_bytes())
            if data["version"] == code_version():
                cache.entries = {f: (None, 0, *rest) for f, (_sig, _read, *rest) in data["entries"].items()}
        except Exception:   # missing, unreadable or from other code: start afresh  # noqa: BLE001
            pass
        return cache

    def keep_only(self, files: set[str]) -> None:
        """Forget files that are gone."""
        for file in self.entries.keys() - files:
            del self.entries[file]

    def memo(self, key: str, files: tuple[Path, ...], make: Callable[[], Any]) -> Any:
        """``make()``, kept while the bytes of ``files`` stay the same (errors are not kept)."""
        stamp = tuple(f.read_bytes() if f.is_file() else None for f in files)
        cached = self._memo.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        value = make()
        self._memo[key] = (stamp, value)
        return value


def code_version() -> str:
    """Saved caches hold this package's objects: they are valid only for the same code."""
    h = hashlib.sha256(sys.version.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + module.read_bytes())
    return h.hexdigest()
