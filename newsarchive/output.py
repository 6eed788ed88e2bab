"""Writing a build: into a fresh folder beside ``output/``, swapped in only when complete.

A content error, a template error, a crash or Ctrl-C leaves the previous output as it was, and
files of removed pages disappear because every build starts from an empty folder. One build at a
time writes an output folder (a lock beside it), and the folders a killed build left behind
(``output.new-*``, ``output.old-*``) are removed by the next one.
"""
from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .files import replace_bytes

MARKER = ".newsarchive-output"
FOLDER_MODE = 0o755    # mkdtemp makes 0700; web servers need to read the site


def write_failure(exc: OSError, output: Path) -> str:
    """A failed write (a full disk, a folder we may not write) as one line naming the folder."""
    where = Path(exc.filename).parent if exc.filename else output.parent
    reason = "no space left on the device" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return f"cannot write {where}: {reason}"


class OutputBusy(Exception):
    """Another build or preview is writing the same output folder."""


class OutputLock:
    """An exclusive lock on an output folder, held by one process (and re-entered by it), taken
    with ``flock`` on ``.<name>.lock`` beside the folder. The kernel releases it when the process
    dies, so a killed build never leaves it taken; the file is removed on release (and a lock
    taken on a file that was removed meanwhile is taken again on the new one)."""

    def __init__(self, output: Path):
        self.output = output
        self.path = output.parent / f".{output.name}.lock"
        self._file = None
        self._depth = 0
        self._guard = threading.Lock()

    def __enter__(self) -> "OutputLock":
        with self._guard:
            if self._depth == 0:
                self._file = self._take()
            self._depth += 1
        return self

    def _take(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            file = open(self.path, "a+", encoding="utf-8")
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.seek(0)
                holder = file.read().strip() or "another process"
                file.close()
                raise OutputBusy(f"{self.output} is being written by {holder}; wait for it to finish "
                                 f"or stop it") from None
            try:
                same = os.fstat(file.fileno()).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                file.truncate(0)
                file.write(f"pid {os.getpid()} ({' '.join(_command())})\n")
                file.flush()
                return file
            file.close()   # the holder removed it as we opened it: lock the file that is there now

    def __exit__(self, *exc) -> None:
        with self._guard:
            self._depth -= 1
            if self._depth == 0 and self._file is not None:
                self.path.unlink(missing_ok=True)
                self._file.close()   # closing releases the flock
                self._file = None


def _command() -> list[str]:
    try:
        args = Path("/proc/self/cmdline").read_bytes().split(b"\0")
        return [os.path.basename(a.decode(errors="replace")) for a in args if a][1:4] or ["newsarchive"]
    except OSError:
        return ["newsarchive"]


def remove_leftovers(output: Path) -> list[Path]:
    """Remove the staged and old folders of builds that were killed before they finished. Only
    folders this generator made are touched: named as it names them, and marked inside."""
    pattern = re.compile(re.escape(output.name) + r"\.(new|old)-[A-Za-z0-9_]{8}")
    removed = []
    if not output.parent.is_dir():
        return removed
    for entry in output.parent.iterdir():
        if not pattern.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        if (entry / MARKER).is_file() or (entry / "site" / MARKER).is_file() or not any(entry.iterdir()):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


class UnsafeOutput(Exception):
    """The output folder is not one this generator made; replacing it could destroy work."""


def check_output_folder(output: Path, protected: tuple[Path, ...]) -> None:
    """Refuse an output folder that holds the project's sources or files we did not write."""
    target = output.resolve()
    for path in protected:
        path = path.resolve()
        if target == path or path.is_relative_to(target):
            raise UnsafeOutput(f"{output} contains {path}; choose another output folder")
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise UnsafeOutput(f"{output} exists and was not made by this generator; "
                           f"remove it or choose another output folder")


@contextmanager
def staged(output: Path, marker: bool = True, on_swap=None) -> Iterator[Path]:
    """Yield an empty folder beside ``output``; on success it replaces ``output``, else it is removed.
    With ``marker``, the folder is marked as made by this generator (see check_output_folder).
    ``on_swap()`` is called the moment the new folder is in place (before a held-back Ctrl-C)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{output.name}.new-", dir=output.parent))
    try:
        os.chmod(stage, FOLDER_MODE)
        if marker:   # written first, so that a killed build's folder is known as ours
            (stage / MARKER).write_text("Built by newsarchive; this folder is replaced on every build.\n")
        yield stage
        _swap(stage, output, on_swap)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C back for the two renames of a swap, so that it cannot fall between them and
    leave no output at all; it takes effect right after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


def _swap(stage: Path, output: Path, on_swap=None) -> None:
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
    with _interrupts_deferred():
        if old is not None:
            os.rename(output, old / "site")
        os.rename(stage, output)
        if on_swap is not None:
            on_swap()
    if old is not None:
        try:
            shutil.rmtree(old, ignore_errors=True)
        except KeyboardInterrupt:   # the new site is in place: finish tidying up, then stop
            shutil.rmtree(old, ignore_errors=True)
            raise


def write_files(folder: Path, files: Mapping[str, bytes], only_changed: bool = False) -> int:
    """Write each ``relative path -> bytes`` under ``folder``; with ``only_changed``, skip files whose
    bytes are already there. Returns how many files were written."""
    made: set[Path] = set()
    written = 0
    for rel, data in files.items():
        path = folder / rel
        if only_changed and path.is_file() and path.read_bytes() == data:
            continue
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        written += 1
    return written


def remove_files(folder: Path, paths: set[str]) -> None:
    """Remove files of pages that no longer exist, and the folders they leave empty."""
    for rel in sorted(paths):
        path = folder / rel
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def static_files(source: Path) -> dict[str, bytes]:
    """The theme's static assets, by path relative to ``source``."""
    if not source.is_dir():
        return {}
    return {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()}


def copy_static(source: Path, folder: Path, only_changed: bool = False) -> int:
    """Copy the theme's static assets; returns how many files were written."""
    return write_files(folder, static_files(source), only_changed)


def link_files(source: Path, folder: Path, paths: set[str]) -> int:
    """Put the files (or whole folders) at ``paths`` under ``source`` into ``folder`` as hard
    links (copies where the file system has none). Files are never changed in place once written
    by a build (an update writes only into an output that no other folder shares files with), so
    sharing them is safe. Returns how many files were placed; raises OSError if one is missing."""
    made: set[Path] = set()
    count = 0

    def place(src: Path, dst: Path) -> None:
        nonlocal count
        if dst.parent not in made:
            dst.parent.mkdir(parents=True, exist_ok=True)
            made.add(dst.parent)
        try:
            os.link(src, dst)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(src, dst)
        count += 1

    for rel in sorted(paths):
        src = source / rel
        if src.is_dir() and not src.is_symlink():
            for dirpath, _dirs, names in os.walk(src):
                for name in names:
                    file = Path(dirpath, name)
                    place(file, folder / file.relative_to(source))
        else:
            place(src, folder / rel)
    return count


def output_identity(output: Path) -> tuple:
    """Tells one build's output from any other: the marker file each build writes anew, and that
    an update in place replaces (``mark_changed``). Empty when there is no output."""
    try:
        st = os.stat(output / MARKER)
    except OSError:
        return ()
    return (st.st_dev, st.st_ino, st.st_mtime_ns)


def mark_changed(output: Path) -> None:
    """Say that the output is no longer exactly what its build wrote (it is updated in place):
    a new marker file, so that ``output_identity`` changes."""
    marker = output / MARKER
    if marker.exists():   # the preview's updates and its search refresh may both be here at once
        replace_bytes(marker, marker.read_bytes())
