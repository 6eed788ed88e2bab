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
def staged(output: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``output``; on success it replaces ``output``, else it is removed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{output.name}.new-", dir=output.parent))
    try:
        yield stage
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


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write each ``relative path -> bytes`` under ``folder``."""
    made: set[Path] = set()
    for rel, data in files.items():
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)


def copy_static(source: Path, folder: Path) -> int:
    """Copy the theme's static assets; returns how many files were copied."""
    if not source.is_dir():
        return 0
    shutil.copytree(source, folder, dirs_exist_ok=True)
    return sum(1 for p in source.rglob("*") if p.is_file())
