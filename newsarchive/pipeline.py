"""The one function that orders the steps of a build.

load and validate → build indexes → plan pages → render → write (staged) → index search → swap in.
"""
from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .config import LANGUAGES, Config, load_config
from .content import INSTITUTIONS_FILE, TAGS_FILE, LoadCache, load_content
from .errors import ContentErrors
from .i18n import load_catalogues
from .indexes import build_indexes
from .media import MediaSet, prepare_media, publish
from .model import Content, Page
from .fingerprint import Fingerprinter, digest_files
from .output import OutputLock, check_output_folder, copy_static, remove_files, remove_leftovers, staged, write_files
from .plan import SEARCH_RECORDS, plan_site
from .render import make_environment, render_page
from .search import BUNDLE, index_site


@dataclass(frozen=True)
class Project:
    """Where a site's inputs live. By default, the folders beside ``build.py``."""

    root: Path
    content: Path
    templates: Path
    theme: Path
    config_file: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None, config_file: Path | None = None) -> "Project":
        root = root.resolve()
        return cls(root=root, content=(content or root / "content").resolve(), templates=root / "templates",
                   theme=root / "theme", config_file=(config_file or root / "site.yaml").resolve())

    @property
    def static(self) -> Path:
        return self.theme / "static"

    @property
    def i18n(self) -> Path:
        return self.theme / "i18n"


@dataclass
class BuildReport:
    pages: Counter = field(default_factory=Counter)       # files rendered, by kind of page
    planned: int = 0                                      # files the site has in all
    encoded: int = 0                                      # photos encoded (not taken from the cache)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rendered(self) -> int:
        return sum(n for kind, n in self.pages.items() if kind not in ("static", "media"))

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.pages.items()) if n)
        stages = ", ".join(f"{stage} {s * 1000:.0f} ms" for stage, s in self.seconds.items())
        photos = f"; {self.encoded} photo{'s' if self.encoded != 1 else ''} encoded" if self.encoded else ""
        return f"built {sum(self.pages.values())} files ({kinds}); {stages}{photos}"

    def update_summary(self) -> str:
        total = sum(self.seconds.values()) * 1000
        return f"rebuilt {self.rendered} of {self.planned} pages in {total:.0f} ms"


@dataclass(frozen=True)
class Loaded:
    config: Config
    content: Content
    catalogues: dict


def load(project: Project, base_url: str | None = None, cache: LoadCache | None = None) -> Loaded:
    """Load config, catalogues and content; every error from all of them is raised together."""
    errors = []
    config = content = catalogues = None
    cache = cache or LoadCache()
    try:
        config = cache.memo("config", (project.config_file,), lambda: load_config(project.config_file))
        if base_url:
            config = config.with_base_url(base_url)
    except ContentErrors as exc:
        errors += exc.errors
    try:
        catalogues = cache.memo("catalogues", tuple(project.i18n / f"{lang}.yaml" for lang in LANGUAGES),
                                lambda: load_catalogues(project.i18n))
    except ContentErrors as exc:
        errors += exc.errors
    try:
        content = load_content(project.content, cache=cache, sanitize=not (config and config.unsafe_html),
                               zone=config.zone if config else Config().zone)
    except ContentErrors as exc:
        errors += exc.errors
    if errors:
        raise ContentErrors(errors)
    return Loaded(config, content, catalogues)


def plan(loaded: Loaded, drafts: bool = False, media_cache: Path | None = None, progress=None) -> tuple[Page, ...]:
    """Every page. With ``media_cache``, the photos of published items are processed (into that
    folder) and pages show them; without, pages are planned without media (``check``)."""
    return plan_with_media(loaded, drafts, media_cache, progress)[0]


def plan_with_media(loaded: Loaded, drafts: bool = False, media_cache: Path | None = None,
                    progress=None, known: dict | None = None) -> tuple[tuple[Page, ...], MediaSet]:
    link_missing = loaded.config.missing_translations == "link"
    indexes = build_indexes(loaded.content, drafts=drafts, link_missing=link_missing)
    media = MediaSet()
    if media_cache is not None:
        published = [a for versions in indexes.versions.values() for a in versions.values()]
        media = prepare_media(published, loaded.content.media, media_cache, progress, known)
    return plan_site(indexes, loaded.config, media), media


def _records(rendered: dict[str, bytes]) -> list[dict]:
    return [record for text in rendered.values() for record in json.loads(text)]


def _search_languages(planned: dict, records: dict[str, bytes]) -> set[str]:
    """The languages whose search index must exist: those with articles or extra records."""
    return {page.lang for page, _ in planned.values() if page.kind == "article"} | {
        planned[path][0].lang for path, text in records.items() if json.loads(text)}


class _Clock:
    def __init__(self, report: BuildReport):
        self.report, self.last = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = self.report.seconds.get(stage, 0.0) + now - self.last
        self.last = now


class Builder:
    """Builds one project into one output folder and remembers what each page was made from.

    ``build()`` renders everything into a staged folder and swaps it in; ``update()`` renders, in
    place, only the pages whose fingerprint changed since the last build or update, and removes the
    files of pages that are gone. Both raise ContentErrors, with nothing written, on bad input.
    Search records are rendered like pages but kept for the search indexer, not written.
    """

    def __init__(self, project: Project, output: Path, *, base_url: str | None = None, drafts: bool = False,
                 cache_file: Path | None = None):
        self.project, self.output, self.base_url, self.drafts = project, output, base_url, drafts
        self.cache_file = cache_file     # parsed content kept between processes (build.py build)
        self.cache = LoadCache.saved(cache_file) if cache_file else LoadCache()
        # processed photos: beside the parse cache, else in a folder that lives as long as this builder
        self._media_tmp = None if cache_file else tempfile.TemporaryDirectory(prefix="newsarchive-media-")
        self.media_cache = cache_file.parent / "media" if cache_file else Path(self._media_tmp.name)
        self.media_files: dict[str, tuple] = {}   # media in the output, as last published
        self.progress = None                      # callable(done, total) while photos are processed
        self._media_known: dict = {}              # photo -> (stat signature, outcome), see media.prepare_media
        self.fingerprints: dict[str, str] = {}
        self.records: dict[str, bytes] = {}      # search-records pages, by path, as last rendered
        self.search_languages: set[str] = set()  # languages the search bundle must have an index for
        self._env = None
        self._env_digest = None
        self.lock = OutputLock(output)   # held while writing; the preview holds it while it runs
        self.published = False           # a build's new output is in place (even if interrupted later)

    def _prepare(self, clock: _Clock):
        loaded = load(self.project, self.base_url, self.cache)
        pages, media = plan_with_media(loaded, self.drafts, self.media_cache, self.progress, self._media_known)
        site_digest = digest_files((self.project.templates, self.project.i18n, self.project.content / TAGS_FILE,
                                   self.project.content / INSTITUTIONS_FILE))
        site_digest += repr(loaded.config)
        if site_digest != self._env_digest:
            self._env = make_environment(self.project.templates, loaded.config, loaded.catalogues, loaded.content.tags,
                                         loaded.content.institutions)
            self._env_digest = site_digest
        fingerprinter = Fingerprinter(site_digest)
        planned = {urls.output_path(p.url): (p, fingerprinter.page(p)) for p in pages}
        clock.lap("load")
        return planned, media

    def _render(self, planned: dict, only_changed: bool, report: BuildReport) -> tuple[dict, dict]:
        """The files to write, and every search-records page (rendered again only if it changed)."""
        files, records = {}, {}
        for path, (page, fingerprint) in planned.items():
            unchanged = only_changed and self.fingerprints.get(path) == fingerprint
            if page.kind == SEARCH_RECORDS:
                records[path] = self.records[path] if unchanged else render_page(self._env, page)
            elif not unchanged:
                files[path] = render_page(self._env, page)
                report.pages[page.kind] += 1
        report.planned = len(planned) - len(records)
        return files, records

    def _remember(self, planned: dict, records: dict[str, bytes]) -> None:
        """What the output now holds, for the next update to compare against."""
        self.fingerprints = {path: fp for path, (page, fp) in planned.items()}
        self.records = records
        self.search_languages = _search_languages(planned, records)

    def index_search(self) -> None:
        """Index the output folder again, with the search records of the last build or update.
        The new index replaces the old one when it is complete; until then search keeps working."""
        with self.lock, staged(self.output / BUNDLE, marker=False) as fresh:
            index_site(self.output, _records(self.records), bundle=fresh, languages=self.search_languages)

    def build(self, search: bool = True) -> BuildReport:
        with self.lock:
            return self._build(search)

    def _build(self, search: bool) -> BuildReport:
        report = BuildReport()
        self.published = False
        check_output_folder(self.output, (self.project.root, self.project.content, self.project.templates,
                                          self.project.theme))
        remove_leftovers(self.output)
        clock = _Clock(report)
        planned, media = self._prepare(clock)
        report.encoded = media.encoded
        files, records = self._render(planned, only_changed=False, report=report)
        clock.lap("render")
        with staged(self.output, on_swap=lambda: setattr(self, "published", True)) as stage:
            write_files(stage, files)
            report.pages["media"] += publish(media.files, stage)
            report.pages["static"] = copy_static(self.project.static, stage / urls.STATIC)
            clock.lap("write")
            if search:
                index_site(stage, _records(records), languages=_search_languages(planned, records))
                clock.lap("search")
        self._remember(planned, records)
        self.media_files = dict(media.files)
        if self.cache_file:
            self.cache.save(self.cache_file)
        return report

    def update(self) -> BuildReport:
        with self.lock:
            return self._update()

    def _update(self) -> BuildReport:
        report = BuildReport()
        clock = _Clock(report)
        planned, media = self._prepare(clock)
        report.encoded = media.encoded
        files, records = self._render(planned, only_changed=True, report=report)
        clock.lap("render")
        write_files(self.output, files, only_changed=True)
        changed = {url: f for url, f in media.files.items() if self.media_files.get(url) != f}
        report.pages["media"] += publish(changed, self.output)
        remove_files(self.output, (set(self.fingerprints) - set(planned)) | (set(self.media_files) - set(media.files)))
        self.media_files = dict(media.files)
        report.pages["static"] = copy_static(self.project.static, self.output / urls.STATIC, only_changed=True)
        self._remember(planned, records)
        clock.lap("write")
        return report


def build(project: Project, output: Path, *, base_url: str | None = None, drafts: bool = False,
          search: bool = True, cache_file: Path | None = None) -> BuildReport:
    """Build the whole site into ``output``; raises ContentErrors (nothing written) on bad input."""
    return Builder(project, output, base_url=base_url, drafts=drafts, cache_file=cache_file).build(search=search)
