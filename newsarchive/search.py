"""The search index: Pagefind's extended binary (it segments Chinese words) over the written site.

Pagefind's Python API drives the binary in a service process. It indexes the written pages (one
index per ``<html lang>``) and adds custom records: items a language lists in another language
only (see ``templates/search-records.json``).
"""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Iterable

from pagefind.index import PagefindIndex

BUNDLE = "pagefind"


class SearchIndexError(Exception):
    pass


async def _index(site: Path, records: list[dict], bundle: Path) -> None:
    async with PagefindIndex(config={"output_path": str(bundle)}) as index:
        result = await index.add_directory(str(site))
        if not result.get("page_count"):
            raise SearchIndexError(f"pagefind found no pages to index in {site}")
        for record in records:
            await index.add_custom_record(**record)


def index_site(site: Path, records: Iterable[dict] = (), bundle: Path | None = None) -> None:
    """Index every page of ``site`` plus ``records`` into ``bundle`` (by default ``site/pagefind``).

    The API is async; it runs on its own thread and event loop, so that callers that already run
    an event loop (Playwright's sync API does) can call this too.
    """
    records = list(records)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_index(site, records, bundle or site / BUNDLE))
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)

    worker = threading.Thread(target=run, name="pagefind")
    worker.start()
    worker.join()
    if failure:
        exc = failure[0]
        if isinstance(exc, SearchIndexError):
            raise exc
        raise SearchIndexError(f"pagefind failed: {type(exc).__name__}: {exc}") from exc
