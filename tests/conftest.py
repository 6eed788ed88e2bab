"""Shared fixtures: tiny sites made per test, and one complete build of the sample archive."""
from __future__ import annotations

import os
import shutil
import socket
import sys
import subprocess
import textwrap
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from newsarchive.pipeline import Project, build
from newsarchive.serve import serve_in_thread

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = FIXTURES / "sample" / "content"        # a frozen copy of the sample archive
SAMPLE_CONFIG = FIXTURES / "sample" / "site.yaml"
LIVE_SOURCES = (REPO / "content", REPO / "site.yaml")   # the editors' archive: never read by a test
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TAGS = """\
visits: {en: Visits, zh: 来访}
agreements: {en: Agreements, zh: 协议}
"""


class LiveArchiveGuard:
    """Records every file or folder of the editors' archive (``content/``, ``site.yaml``) that this
    test process opens or lists, through a Python audit hook. Tests build from fixtures only, so
    an editorial push can never change a test result; ``live_archive_guard`` fails a test that
    reads the live archive, naming what it read."""

    EVENTS = {"open", "os.scandir", "os.listdir", "os.walk", "glob.glob", "shutil.copytree"}

    def __init__(self, watched: tuple[Path, ...]):
        self.watched = tuple(os.path.abspath(p) for p in watched)
        self.reads: list[str] = []

    def hook(self, event: str, args: tuple) -> None:
        if event not in self.EVENTS or not args:
            return
        path = args[0]
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, (str, os.PathLike)):
            return   # a file descriptor
        path = os.fspath(path)
        if not os.path.isabs(path) and os.sep not in path:
            return   # a bare name, as shutil.rmtree opens entries relative to a folder's descriptor
        full = os.path.abspath(path)
        if any(full == w or full.startswith(w + os.sep) for w in self.watched):
            self.reads.append(full)

    def take(self) -> list[str]:
        reads, self.reads = self.reads, []
        return reads


GUARD = LiveArchiveGuard(LIVE_SOURCES)
sys.addaudithook(GUARD.hook)


@pytest.fixture(autouse=True)
def live_archive_guard():
    """Fails the test if it (or a fixture it set up) read the editors' archive."""
    GUARD.take()
    yield GUARD
    reads = GUARD.take()
    if reads:
        pytest.fail(f"the test read the live archive, which editors change every day: {sorted(set(reads))[:5]}; "
                    f"build from tests/fixtures/ instead", pytrace=False)


# Pagefind's filter and metadata files (and so its entry file) vary from run to run: its
# maintainers know (Pagefind/pagefind#638). Everything else, its word index and fragments
# included, must not.
UNSTABLE = tuple(f"pagefind/{lang}/{name}" for lang in ("en", "zh")
                 for name in ("filter/", "pagefind.", "pagefind-entry.json"))


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``folder`` (but those whose relative path starts with ``skip``) and its bytes."""
    files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: p.read_bytes() for name, p in files.items() if not name.startswith(skip)}


def need_tool(tool: str | Path) -> str:
    """The path of an external tool (a file, or a command on PATH). Under CI a missing tool fails
    the test; elsewhere it skips it. ``.ci/run`` and ``make test`` install every one."""
    found = str(tool) if Path(tool).exists() else shutil.which(str(tool))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing; .ci/run and make test install it")
        pytest.skip(f"{tool} is not installed (see .ci/run)")
    return found


def venv_tool(name: str) -> str:
    """A tool that a PyPI wheel installed beside this Python (lychee, actionlint)."""
    return need_tool(Path(sys.executable).parent / name)


class TinySite:
    """A content folder and config of a test's own, built with the repository's templates and theme."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        (self.content / "news").mkdir(parents=True)
        (self.content / "tags.yaml").write_text(TAGS, encoding="utf-8")
        self.config = root / "site.yaml"
        self.config.write_text("base_url: https://example.org/\npage_size: 2\n", encoding="utf-8")
        self.output = root / "output"

    def configure(self, **settings) -> None:
        """Add settings to the site's config file."""
        with self.config.open("a", encoding="utf-8") as f:
            f.writelines(f"{key}: {value}\n" for key, value in settings.items())

    def item(self, year: int, slug: str, lang: str, front: str, body: str = "Body text.") -> Path:
        """Write ``news/<year>/<slug>.<lang>.md`` with the given front matter lines."""
        path = self.content / "news" / str(year) / f"{slug}.{lang}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n\n{body}\n", encoding="utf-8")
        return path

    def pair(self, year: int, slug: str, date: str, **fields: str) -> None:
        """An English item and its Chinese translation that agree on everything."""
        extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
        self.item(year, slug, "en", f'title: "English {slug}"\ndate: {date}\n{extra}')
        self.item(year, slug, "zh", f'title: "中文 {slug}"\ndate: {date}\n{extra}translated_from: en\n')

    @property
    def project(self) -> Project:
        return Project.at(REPO, content=self.content, config_file=self.config)

    def build(self, **kwargs):
        kwargs.setdefault("search", False)
        return build(self.project, self.output, **kwargs)

    @contextmanager
    def served_with_search(self):
        """Built with search at the address it is then served on (127.0.0.1, a free port, as
        ``self.base``), so that its links and search results point at the pages a browser reads."""
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.build(base_url=self.base, search=True)
        server = serve_in_thread(self.output, port=port)
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()

    def read(self, url: str) -> str:
        path = self.output / (url + "index.html" if url.endswith("/") or url == "" else url)
        return path.read_text(encoding="utf-8")


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MiB tmpfs, room for one build of the sample archive (1.9 MB)."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def site(tmp_path) -> TinySite:
    return TinySite(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def built_and_served(content: Path, config: Path, output: Path, search: bool = True):
    """``content`` built into ``output`` at the address it is then served on (127.0.0.1, a free
    port), so that canonical links and hreflang point at the pages a browser reads. Yields the base URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    build(Project.at(REPO, content=content, config_file=config), output, base_url=base, search=search)
    server = serve_in_thread(output, port=port)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The sample archive, built once with search, two items a page, and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE, root / "content")
    config = root / "site.yaml"
    config.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace("page_size: 10", "page_size: 2"),
                      encoding="utf-8")
    output = root / "output"
    with built_and_served(root / "content", config, output) as base:
        yield type("Sample", (), {"output": output, "base": base, "root": root})


@pytest.fixture(scope="session")
def one_sided(tmp_path_factory):
    """A tiny served site with one English-only item (missing_translations: link), built with search."""
    site = TinySite(tmp_path_factory.mktemp("one-sided"))
    site.pair(2023, "both", "2023-01-01", countries="[BE]")
    site.item(2024, "bologna", "en", 'title: "Rector of Bologna visits"\ndate: 2024-05-02\ncountries: [IT]')
    with site.served_with_search():
        yield site


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips only when Chromium is missing outside CI."""
    chromium = need_tool(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh tab. ``tab.troubles`` lists its console errors and failed requests, for failure messages."""
    context = browser.new_context()
    tab = context.new_page()
    tab.troubles = []
    tab.on("console", lambda m: m.type in ("error", "warning") and tab.troubles.append(f"console {m.type}: {m.text}"))
    tab.on("pageerror", lambda e: tab.troubles.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: tab.troubles.append(f"request failed: {r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and tab.troubles.append(f"HTTP {r.status}: {r.url}"))
    yield tab
    context.close()
