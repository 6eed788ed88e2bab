"""Writing a build: into a fresh folder beside ``output/``, swapped in only when complete.

A content error, a template error, a crash, Ctrl-C or a termination leaves the previous output as
it was, and files of removed pages disappear because every build starts from an empty folder. The
new folder takes the old one's place in one step (Linux's ``renameat2`` exchange), so that at no
moment is there no ``output/``; where the file system cannot exchange, two renames with signals
held back between them. One build at a time writes an output folder (a lock beside it), and the
folders a killed build left behind (``output.new-*``, ``output.old-*``) are removed by the next
one, or put back when a build was killed between the two renames and left no ``output/``.
"""
from __future__ import annotations

import ctypes
import ctypes.util
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
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)   # held back while a swap is half done


@contextmanager
def readable_by_all() -> Iterator[None]:
    """Files and folders made meanwhile (by this process, its workers and Pagefind) are readable
    by others, as a web server must read them, whatever the umask (077 made pages 0600)."""
    mask = os.umask(0o022)
    os.umask(mask & ~0o055)
    try:
        yield
    finally:
        os.umask(mask)


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


def _ours(entry: Path) -> bool:
    return (entry / MARKER).is_file() or (entry / "site" / MARKER).is_file() or not any(entry.iterdir())


def remove_leftovers(output: Path) -> list[Path]:
    """Remove the staged and old folders of builds that were killed before they finished. Only
    folders this generator made are touched: named as it names them, and marked inside. When a
    build was killed between the two renames of a swap (no ``output/``), the old site is put
    back first."""
    pattern = re.compile(re.escape(output.name) + r"\.(new|old)-[A-Za-z0-9_]{8}")
    removed = []
    if not output.parent.is_dir():
        return removed
    found = sorted((e for e in output.parent.iterdir()
                    if pattern.fullmatch(e.name) and not e.is_symlink() and e.is_dir() and _ours(e)),
                   key=lambda e: e.stat().st_mtime_ns, reverse=True)
    if not os.path.lexists(output):
        kept = next((e for e in found if ".old-" in e.name and (e / "site" / MARKER).is_file()), None)
        if kept is not None:
            os.rename(kept / "site", output)
    for entry in found:
        remove_tree(entry)
        removed.append(entry)
    return removed


def remove_tree(folder: Path) -> None:
    """Remove a folder this generator made, its markers last: a removal killed half-way leaves a
    folder the next build still knows as its own (remove_leftovers)."""
    markers = {folder / MARKER, folder / "site" / MARKER}

    def clear(path: Path) -> None:
        for entry in list(path.iterdir()):
            if entry in markers:
                continue
            if entry.is_dir() and not entry.is_symlink():
                clear(entry) if entry == folder / "site" else shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    try:
        clear(folder)
    except OSError:
        pass
    for marker in markers:
        marker.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


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
    ``on_swap()`` is called the moment the new folder is in place (before a held-back signal)."""
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
            remove_tree(stage)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while a swap is half done, so that none can fall
    between its steps; the first one caught takes effect right after, as KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in HELD_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            raise KeyboardInterrupt


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (``renameat2(RENAME_EXCHANGE)``); False where the system or
    the file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(stage: Path, output: Path, on_swap=None) -> None:
    old = None
    try:
        with signals_held():
            if not output.exists():
                os.rename(stage, output)
            elif exchange(stage, output):
                old = stage   # it holds the old site now, under the staged name (staged() removes it)
            else:
                old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
                os.rename(output, old / "site")
                os.rename(stage, output)
            if on_swap is not None:
                on_swap()
    finally:   # also when a signal held back during the swap stops the build now
        if old is not None and old != stage:
            remove_tree(old)


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


def output_files(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under ``folder`` (relative path) with what tells a changed file: its
    modification time, size and inode. One stat per file."""
    found: dict[str, tuple[int, int, int]] = {}

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                else:
                    st = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (st.st_mtime_ns, st.st_size, st.st_ino)

    try:
        walk(str(folder), "")
    except OSError:
        pass
    return found


def changed_files(folder: Path, written: Mapping[str, tuple]) -> set[str]:
    """The files of ``folder`` that are not as a build left them (``written``, from output_files):
    changed, missing, or added since."""
    now = output_files(folder)
    return {path for path in written.keys() | now.keys() if written.get(path) != now.get(path)}


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
