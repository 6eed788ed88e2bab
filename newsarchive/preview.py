"""The live preview: watch the sources, rebuild what changed, tell open tabs, refresh search later.

It only watches and calls back into the pipeline (``Builder.update``); the output folder and
editors' temporary files are ignored.
"""
from __future__ import annotations

import gc
import os
import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .errors import ContentErrors
from .pipeline import Builder
from .render import TemplateFailure
from .search import SearchIndexError
from .output import write_failure
from .serve import LiveState

QUIET = 0.03          # seconds without events before a rebuild starts (editors write in bursts)
SEARCH_QUIET = 1.5    # seconds without rebuilds before the search index is refreshed
SEARCH_NICENESS = 10  # the refresh yields the CPU to rebuilds (a thread's niceness on Linux)

_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


def is_editor_temp(path: Path) -> bool:
    name = path.name
    return (name.startswith((".#", "#", ".~")) or name.endswith(_TEMP_SUFFIXES) or name == "4913"
            or (name.startswith(".") and name.endswith(".swp")))


class Preview:
    def __init__(self, builder: Builder, live: LiveState, log: Callable[[str], None] = print,
                 search: bool = True):
        self.builder, self.live, self.log, self.search = builder, live, log, search
        project = builder.project
        self._folders = [project.content, project.templates, project.theme]
        self._files = [project.config_file]
        self._ignored = [builder.output.resolve()]
        self._dirty = threading.Event()
        self._last_event = 0.0
        self._stop = threading.Event()
        self._search_due: float | None = None
        self._indexer: threading.Thread | None = None
        self._observer = None
        self._published = False   # a complete build is in the output folder; until then rebuilds are full

    # --- what counts as a change -------------------------------------------------------
    def relevant(self, path: str) -> bool:
        # The folder is resolved, not the file: the file may be a link loop or already gone.
        try:
            p = Path(path).parent.resolve() / Path(path).name
        except (OSError, RuntimeError):   # a looping folder: let a rebuild report it
            return True
        if any(p.is_relative_to(ignored) for ignored in self._ignored) or is_editor_temp(p):
            return False
        if any(part in (".git", "__pycache__") for part in p.parts):
            return False
        return p in self._files or any(p.is_relative_to(folder) for folder in self._folders)

    def changed_anyway(self) -> None:
        """Something changed that could not be looked at: rebuild to find out."""
        self._last_event = time.monotonic()
        self._dirty.set()

    def changed(self, path: str) -> None:
        if self.relevant(path):
            self.changed_anyway()

    # --- building ------------------------------------------------------------------------
    def initial_build(self) -> bool:
        """Build everything. On any failure the preview still starts: the overlay shows what is
        wrong, and the next save builds again."""
        if not self._attempt(lambda: self.builder.build(search=self.search)):
            return False
        self._published = True
        # What the first build loaded lives as long as the preview: keep the cyclic garbage
        # collector from walking it again on every rebuild.
        gc.freeze()
        return True

    def rebuild(self) -> None:
        if not self._published:   # the first build failed: this one builds everything, staged
            self.initial_build()
            return
        gc.disable()   # an update makes ~100,000 short-lived objects; collect once, afterwards
        try:
            report = self._attempt(self.builder.update)
        finally:
            gc.enable()
        if report and self.search and report.rendered:
            self._search_due = time.monotonic() + SEARCH_QUIET

    def _attempt(self, step):
        """Run a build step. Whatever goes wrong is shown in the overlay and the terminal, and the
        preview carries on with the last good pages; returns the report, or None."""
        try:
            report = step()
        except (ContentErrors, TemplateFailure, SearchIndexError) as exc:
            self._report_errors([str(e) for e in exc.errors] if isinstance(exc, ContentErrors) else [str(exc)])
            return None
        except OSError as exc:
            self._report_errors([write_failure(exc, self.builder.output)])
            return None
        except Exception as exc:   # noqa: BLE001 - a bug: the preview must outlive it
            self.log(traceback.format_exc().rstrip())
            self._report_errors([f"internal error (a bug in newsarchive, not in your files): "
                                 f"{type(exc).__name__}: {exc}; the traceback is in the terminal"])
            return None
        self.live.publish((), {self.builder.base_path + old: self.builder.base_path + new
                               for old, new in report.moved.items()})
        self.log(report.summary() if not self._published else report.update_summary())
        return report

    def _report_errors(self, lines: list[str]) -> None:
        self.live.publish(lines)
        self.log("\n".join(lines) + f"\n{len(lines)} error(s); the preview shows the last good build")

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._dirty.wait(timeout=0.25):
                while time.monotonic() - self._last_event < QUIET:
                    time.sleep(QUIET / 3)
                self._dirty.clear()
                try:
                    self.rebuild()
                except Exception:   # noqa: BLE001 - never let the rebuild thread die
                    self.log(traceback.format_exc().rstrip())
            elif (self._search_due is not None and time.monotonic() >= self._search_due
                  and not (self._indexer and self._indexer.is_alive())):
                self._search_due = None
                self._indexer = threading.Thread(target=self._refresh_search, name="preview-search", daemon=True)
                self._indexer.start()

    def _refresh_search(self) -> None:
        """Runs on its own thread, at a lower CPU priority (inherited by Pagefind's process), so
        that rebuilds and reloads do not wait for it."""
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SEARCH_NICENESS)
        except (AttributeError, OSError):   # not Linux, or not allowed: index at normal priority
            pass
        try:
            self.builder.index_search()
        except SearchIndexError as exc:
            self.log(f"search index not refreshed: {exc}")
        except Exception:   # noqa: BLE001 - search keeps its last complete index
            self.log(f"search index not refreshed, because of a bug:\n{traceback.format_exc().rstrip()}")

    # --- running -------------------------------------------------------------------------
    def start(self) -> None:
        handler = _Events(self)
        self._observer = Observer()
        for folder in self._folders:
            if folder.is_dir():
                self._observer.schedule(handler, str(folder), recursive=True)
        for file in self._files:
            self._observer.schedule(handler, str(file.parent), recursive=False)
        self._observer.start()
        threading.Thread(target=self._loop, name="preview-rebuild", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._indexer is not None:
            self._indexer.join(timeout=60)
        self.live.close()


class _Events(FileSystemEventHandler):
    def __init__(self, preview: Preview):
        self.preview = preview

    def on_any_event(self, event):
        try:
            self._note(event)
        except Exception:   # noqa: BLE001 - the watcher thread must not die; rebuild to find out more
            self.preview.changed_anyway()

    def _note(self, event):
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.preview.changed(path)
