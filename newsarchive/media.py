"""The media of published items: which files each article uses, made into pictures (images.py)
or published as they are (PDFs and other documents), and where each goes in the site.

Only files that a published article uses are published; a photo's original is never published
(it may carry the photographer's GPS position): a link to it leads to its widest processed copy.
Problems are reported on every article that uses the file, with the line that names it.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from . import urls
from .errors import ContentError, ContentErrors
from .fields import IMAGE_EXTENSIONS, extension
from .files import read_regular, unreadable
from .images import Processed, process
from .model import Article
from .workers import WorkerLost, cores


@dataclass(frozen=True)
class Picture:
    """A processed photo of an item, as pages show it. Its key is the digest of the source and the
    settings, so a page that shows it changes when the photo does."""

    item: tuple[int, str]
    name: str
    key: str
    width: int
    height: int
    widths: tuple[int, ...]
    fallback: str

    def url(self, width: int, ext: str) -> str:
        stem = self.name.rsplit(".", 1)[0]
        return urls.media(self.item, f"{stem}.{self.key[:10]}-{width}.{ext}")

    def srcset(self, ext: str) -> tuple[tuple[str, int], ...]:
        return tuple((self.url(w, ext), w) for w in self.widths)

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def best(self, width: int) -> int:
        """The smallest width at least ``width`` wide (or the widest there is)."""
        return next((w for w in self.widths if w >= width), self.widths[-1])


@dataclass(frozen=True)
class Attachment:
    """A document published as it is, under its own name."""

    item: tuple[int, str]
    name: str
    digest: str

    @property
    def url(self) -> str:
        return urls.media(self.item, self.name)


@dataclass
class MediaSet:
    """Every published media file: per item, by name, and the files to copy into the output."""

    items: dict[tuple, dict[str, Picture | Attachment]] = field(default_factory=dict)
    files: dict[str, tuple[Path, bool, str]] = field(default_factory=dict)  # output file path -> (file, may hard-link, digest)
    encoded: int = 0                                        # photos encoded by this run (not cached)
    large: list = field(default_factory=list)               # (source shown, bytes) of originals past LARGE_ORIGINAL

    def of(self, item: tuple) -> Mapping[str, Picture | Attachment]:
        return self.items.get(item, {})


LARGE_ORIGINAL = 20 * 1024 * 1024   # past this, an original makes the repository slow to clone


def large_original(name: str, size: int) -> str:
    """The warning for an original that git will carry for ever."""
    return (f"{name} is {size / 2**20:.1f} MB: only its processed copies are published, but git keeps the original "
            f"in the repository, which gets slow to clone; export it under {LARGE_ORIGINAL // 2**20} MB")


def _uses(articles: Iterable[Article], media: Mapping) -> dict[str, list]:
    """Source file -> [(article, ref)] for every file a published article uses."""
    uses: dict[str, list] = {}
    for a in articles:
        for ref in a.refs:
            source = media[a.item][ref.name].file     # load_content made sure it is there
            uses.setdefault(source, []).append((a, ref))
    return uses


def _errors(uses: list, problem: str) -> list[ContentError]:
    return [ContentError(a.path, ref.line, ref.field, f"{ref.name} {problem}") for a, ref in uses]


def _signature(source: str) -> tuple | None:
    try:
        st = os.stat(source)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def prepare_media(articles: Iterable[Article], media: Mapping, cache: Path,
                  progress: Callable[[int, int], None] | None = None, known: dict | None = None) -> MediaSet:
    """Process every photo the articles use (on all cores, cached) and list what to publish.
    Raises ContentErrors naming every article and line that uses a file that cannot be published.

    ``known`` (kept by a builder between its builds) remembers each file's outcome by its stat
    signature, so that a rebuild reads no unchanged photo again (the preview rebuilds per save)."""
    known = {} if known is None else known
    uses = _uses(articles, media)
    result = MediaSet()
    errors: list[ContentError] = []
    photos = [source for source, used in uses.items() if extension(used[0][1].name) in IMAGE_EXTENSIONS]
    set_of_photos = set(photos)
    for source, used in uses.items():
        if source in set_of_photos:
            continue
        a, ref = used[0]
        signature = _signature(source)
        if signature is not None and known.get(source, (None,))[0] == signature:
            digest = known[source][1]
        else:
            try:
                digest = hashlib.sha256(read_regular(source)).hexdigest()[:16]
            except OSError as exc:
                errors += _errors(used, unreadable(exc))
                continue
            known[source] = (signature, digest)
        attachment = Attachment(a.item, ref.name, digest)
        result.items.setdefault(a.item, {})[ref.name] = attachment
        result.files[urls.output_path(attachment.url)] = (Path(source), False, digest)   # an editor may rewrite it in place: copy
    for source in photos:
        size = os.stat(source).st_size if os.path.exists(source) else 0
        if size > LARGE_ORIGINAL:
            result.large.append((media[uses[source][0][0].item][uses[source][0][1].name].name, size))
    cache.mkdir(parents=True, exist_ok=True)
    remove_partials(cache)
    signatures = {source: _signature(source) for source in photos}
    fresh = [s for s in photos if signatures[s] is None or known.get(s, (None,))[0] != signatures[s]
             or not (cache / known[s][1][0]).is_dir()]
    outcomes = dict(zip(fresh, _run(fresh, cache, progress)))
    for source in photos:
        if source in outcomes:
            key, outcome, encoded = outcomes[source]
            result.encoded += encoded
            if not isinstance(outcome, str):
                known[source] = (signatures[source], (key, outcome))
        else:
            key, outcome = known[source][1]
        if isinstance(outcome, str):
            errors += _errors(uses[source], outcome)
            continue
        done = Processed(**outcome)
        a, ref = uses[source][0]
        picture = Picture(a.item, ref.name, key, done.width, done.height, done.widths, done.fallback)
        result.items.setdefault(a.item, {})[ref.name] = picture
        for width in done.widths:
            for ext in ("webp", done.fallback):
                result.files[urls.output_path(picture.url(width, ext))] = (cache / key / f"{width}.{ext}", True, key)
    if errors:
        raise ContentErrors(errors)
    return result


def _run(photos: list[str], cache: Path, progress) -> list[tuple[str, dict | str, bool]]:
    """``images.process`` over every photo: in this process when one or none needs encoding,
    else in a pool of worker processes, one per core."""
    results: list = []
    workers = min(len(photos), cores())
    if progress and photos:
        progress(0, len(photos))   # the clock starts with the work
    if workers <= 1:
        for n, source in enumerate(photos, start=1):
            results.append(process(source, str(cache)))
            if progress:
                progress(n, len(photos))
        return results
    # spawn, not fork: the preview runs threads, and a forked copy of a lock held by one hangs
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for n, outcome in enumerate(pool.map(process, photos, [str(cache)] * len(photos), chunksize=1), start=1):
                results.append(outcome)
                if progress:
                    progress(n, len(photos))
    except BrokenProcessPool:   # a worker died without a word: the kernel, for lack of memory
        raise WorkerLost("a photo worker process was killed") from None
    return results


def remove_partials(cache: Path) -> None:
    """Remove the half-written folders of photo workers that are gone (killed, or a full disk)."""
    for folder in cache.glob("*.partial-*") if cache.is_dir() else ():
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0


def publish(files: Mapping[str, tuple[Path, bool, str]], output: Path) -> int:
    """Put the media files into ``output``. Cached photos are hard-linked where the file system
    allows (they are never changed in place), everything else is copied."""
    count = 0
    for path, (source, linkable, _digest) in files.items():
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            if not linkable:
                raise OSError
            os.link(source, partial)
        except OSError:
            shutil.copyfile(source, partial)
        os.chmod(partial, 0o644)
        partial.replace(target)
        count += 1
    return count
