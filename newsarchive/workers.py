"""Work spread over every core: a function over chunks of items, in forked worker processes.

Forked workers start with the parent's memory (the loaded content, the plan, the Jinja
environment), so a task is a chunk of small items (paths, indexes) and only results travel back.
Work stays in this process when it is small, when there is one core, or when other threads run
(the preview's): a forked copy of a lock another thread holds would never be released.
Workers ignore Ctrl-C; the parent stops them and raises KeyboardInterrupt as usual.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence

MIN_ITEMS = 400      # below this, starting workers costs more than it saves
HELD = {signal.SIGINT, signal.SIGTERM}
CHUNK = 100          # items per task: small enough to balance, large enough to keep overhead low

_job: Callable | None = None


class WorkerLost(Exception):
    """A worker process died without a word: killed, in practice by the kernel for lack of memory."""


def memory_total() -> int:
    """Bytes of memory this machine has (0 if unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def out_of_memory(exc: BaseException) -> str:
    """What to tell someone whose build ran out of memory."""
    what = str(exc) if isinstance(exc, WorkerLost) else "the build ran out of memory"
    return (f"{what} (this machine has {memory_total() / 2**30:.1f} GiB); nothing swaps silently: "
            f"build on a machine with more memory, or with fewer items")


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)   # SIGTERM ends a worker as it ends any process


def _call(chunk: Sequence) -> list:
    return _job(chunk)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def in_chunks(job: Callable[[Sequence], list], items: Sequence, progress=None, workers: int | None = None) -> list:
    """``job(chunk)`` over ``items`` cut into chunks, the results joined in order. ``job`` returns
    a list; it runs in forked workers (it need not be picklable), its results are pickled back.
    ``progress(done, total)`` is called as chunks finish."""
    global _job
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    workers = min(workers or cores(), len(chunks))
    results: list[list] = []
    if workers <= 1 or len(items) < MIN_ITEMS or threading.active_count() > 1:
        for chunk in chunks:
            results.append(job(chunk))
            if progress:
                progress(sum(map(len, results)), len(items))
        return [r for part in results for r in part]
    _job = job
    gc.freeze()   # objects made so far stay shared with the workers instead of being copied by the collector
    # Ctrl-C is held back while the workers are forked: raised in a fork handler (logging's), it was
    # swallowed there, and the build carried on as if nothing was pressed
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts)
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            futures = {pool.submit(_call, chunk): len(chunk) for chunk in chunks}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        done, pending = 0, set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    future.result()   # a worker's exception is raised here
                except BrokenProcessPool:
                    raise WorkerLost("a worker process was killed") from None
                done += futures[future]
            if progress:
                progress(done, len(items))
        return [r for future in futures for r in future.result()]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None
        gc.unfreeze()
