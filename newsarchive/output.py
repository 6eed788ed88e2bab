"""Writing a build: into a fresh folder beside ``output/``, swapped in only when complete.

A content error, a template error, a crash or Ctrl-C leaves the previous output as it was, and
files of removed pages disappear because every build starts from an empty folder.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

MARKER = ".newsarchive-output"


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
def staged(output: Path, marker: bool = True) -> Iterator[Path]:
    """Yield an empty folder beside ``output``; on success it replaces ``output``, else it is removed.
    With ``marker``, the folder is marked as made by this generator (see check_output_folder)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{output.name}.new-", dir=output.parent))
    try:
        yield stage
        if marker:
            (stage / MARKER).write_text("Built by newsarchive; this folder is replaced on every build.\n")
        _swap(stage, output)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{output.name}.old-", dir=output.parent))
        os.rename(output, old / "site")
    os.rename(stage, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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


def copy_static(source: Path, folder: Path, only_changed: bool = False) -> int:
    """Copy the theme's static assets; returns how many files were written."""
    if not source.is_dir():
        return 0
    files = {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()}
    return write_files(folder, files, only_changed)
