"""The one function that orders the steps of a build.

load and validate → build indexes → plan pages → render → write (staged) → index search → swap in.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .config import Config, load_config
from .content import load_content
from .errors import ContentErrors
from .i18n import load_catalogues
from .indexes import build_indexes
from .model import Content, Page
from .output import check_output_folder, copy_static, staged, write_files
from .plan import plan_site
from .render import make_environment, render_page
from .search import index_site


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
    pages: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.pages.items()))
        stages = ", ".join(f"{stage} {s * 1000:.0f} ms" for stage, s in self.seconds.items())
        return f"built {sum(self.pages.values())} files ({kinds}); {stages}"


@dataclass(frozen=True)
class Loaded:
    config: Config
    content: Content
    catalogues: dict


def load(project: Project, base_url: str | None = None) -> Loaded:
    """Load config, catalogues and content; every error from all of them is raised together."""
    errors = []
    config = content = catalogues = None
    try:
        config = load_config(project.config_file)
        if base_url:
            config = config.with_base_url(base_url)
    except ContentErrors as exc:
        errors += exc.errors
    try:
        catalogues = load_catalogues(project.i18n)
    except ContentErrors as exc:
        errors += exc.errors
    try:
        content = load_content(project.content)
    except ContentErrors as exc:
        errors += exc.errors
    if errors:
        raise ContentErrors(errors)
    return Loaded(config, content, catalogues)


def plan(loaded: Loaded, drafts: bool = False) -> tuple[Page, ...]:
    return plan_site(build_indexes(loaded.content, drafts=drafts), loaded.config)


def render_all(project: Project, loaded: Loaded, pages: tuple[Page, ...]) -> dict[str, bytes]:
    env = make_environment(project.templates, loaded.config, loaded.catalogues, loaded.content.tags)
    return {urls.output_path(page.url): render_page(env, page) for page in pages}


def build(project: Project, output: Path, *, base_url: str | None = None, drafts: bool = False,
          search: bool = True) -> BuildReport:
    """Build the whole site into ``output``; raises ContentErrors (nothing written) on bad input."""
    report = BuildReport()
    check_output_folder(output, (project.root, project.content, project.templates, project.theme))
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = now - clock
        clock = now

    loaded = load(project, base_url)
    pages = plan(loaded, drafts)
    lap("load")
    files = render_all(project, loaded, pages)
    report.pages.update(page.kind for page in pages)
    lap("render")
    with staged(output) as stage:
        write_files(stage, files)
        report.pages["static"] = copy_static(project.static, stage / urls.STATIC)
        lap("write")
        if search:
            index_site(stage)
            lap("search")
    return report
