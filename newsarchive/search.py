"""The search index: Pagefind's extended binary (it segments Chinese words) over the written site."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def index_site(site: Path) -> None:
    """Index every page of ``site`` into ``site/pagefind``: one index per ``<html lang>``."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind_bin_extended", "--site", str(site), "--output-subdir", "pagefind", "--silent"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
