"""Progress of long stages on stderr: on a terminal one line that updates (stage, count, time
left); elsewhere (CI logs) one line when the stage ends."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Call with (done, total) as work finishes; the first call starts the clock, and the last
    (done == total) stops it, so that one object serves every build of a preview."""

    def __init__(self, stage: str, stream: TextIO | None = None, min_seconds: float = 1.0):
        self.stage, self.stream, self.min_seconds = stage, stream or sys.stderr, min_seconds
        self.started: float | None = None
        self.last_shown = 0.0
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.started is None:
            self.started = now
        elapsed = now - self.started
        if done >= total:
            self.started = None
            if self.tty or elapsed >= self.min_seconds:
                end = "\r\033[K" if self.tty else ""
                print(f"{end}{self.stage}: {total} in {elapsed:.1f} s", file=self.stream, flush=True)
            return
        if self.tty and now - self.last_shown >= 0.2:
            left = elapsed / done * (total - done) if done else 0
            print(f"\r\033[K{self.stage}: {done}/{total}, about {left:.0f} s left", end="", file=self.stream,
                  flush=True)
            self.last_shown = now
