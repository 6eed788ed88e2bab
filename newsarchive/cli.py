"""Commands, messages and exit codes: 0 success, 1 content errors (and a build that could not be
written or indexed), 2 usage errors, 70 an internal error (a bug), 75 output folder busy, 130 Ctrl-C."""
from __future__ import annotations

import argparse
import re
import sys
import traceback
from pathlib import Path

from .errors import ContentErrors
from .output import OutputBusy, UnsafeOutput, check_output_folder, write_failure
from .pipeline import Builder, Project
from .progress import Progress
from .render import TemplateFailure
from .search import SearchIndexError
from .workers import WorkerLost, out_of_memory

COMMANDS = ("build", "serve", "check", "translations", "new", "move", "remove", "import")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70       # sysexits' EX_SOFTWARE: not the content's fault; a bug to report
EXIT_BUSY = 75           # sysexits' EX_TEMPFAIL: another build is writing the output; try again
EXIT_INTERRUPTED = 130   # as shells report a program stopped by Ctrl-C


def _parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the bilingual news archive into a static site. Without a command, builds.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")

    def sources(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=root / "content", help="content folder (default: content/)")
        p.add_argument("--config", type=Path, default=root / "site.yaml", help="site configuration (default: site.yaml)")

    def common(p: argparse.ArgumentParser) -> None:
        sources(p)
        p.add_argument("--output", type=Path, default=root / "output", help="output folder (default: output/)")
        p.add_argument("--drafts", action="store_true", help="include items marked draft: true")

    b = commands.add_parser("build", help="build the site into the output folder (the default command)",
                            description="Build the site. The previous output is replaced only when the build is complete.")
    common(b)
    b.add_argument("--base-url", type=_base_url, help="absolute URL the site is published at (default: base_url in site.yaml)")
    b.add_argument("--cache-dir", type=Path, default=root / ".cache" / "newsarchive",
                   help="where parsed content, processed photos and what the output holds are kept between builds, so that a build redoes only what changed (default: .cache/newsarchive/)")
    b.add_argument("--no-cache", action="store_true", help="parse, render and index everything afresh and keep nothing")
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change",
                            description="Build the site for local viewing, serve it on 127.0.0.1, and watch "
                                        "content/, templates/, theme/ and the config: each change rebuilds what it "
                                        "affects and reloads open browser tabs; content errors show in the page.")
    common(s)
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")

    c = commands.add_parser("check", help="check all content without writing anything",
                            description="Report every problem as file:line: error|warning: message; exit 1 on errors. "
                                        "Errors: what the build rejects, links to missing items or pages, images "
                                        "without alt text. Warnings: missing and stale translations.")
    sources(c)
    c.add_argument("--format", choices=("text", "github"), default="text",
                   help="github prints GitHub Actions annotations (::error file=…,line=…::…)")
    c.add_argument("--since", metavar="REV",
                   help="a git revision of the archive as it was published (origin/main, the last deployed "
                        "commit): every address an item changed since then gave the site must still lead "
                        "somewhere (an error names each that vanished and how to keep it)")
    tr = commands.add_parser("translations", help="list missing and stale translations, per year",
                             description="List, per year, items missing a language and translations whose original "
                                         "changed since they were translated. --mark FILE records that FILE now "
                                         "matches its original.")
    sources(tr)
    tr.add_argument("--mark", type=Path, metavar="FILE", help="record the original's current digest in FILE")
    n = commands.add_parser("new", help="write a draft news item, or start a translation of one",
                            description="Write a draft (draft: true) with valid front matter, in English unless "
                                        "--lang says otherwise; or, with --translate SLUG, a draft translation that "
                                        "takes its date, tags, countries, institutions and photo from the original "
                                        "and holds the original's text to translate. Places to fill in start with "
                                        "'TODO:', which check and build refuse once the draft line is removed. "
                                        "Never overwrites.")
    sources(n)
    n.add_argument("--title", help="the title (the slug is made from it unless --slug is given)")
    n.add_argument("--translate", metavar="SLUG", help="start a translation of this item (with --lang)")
    n.add_argument("--lang", choices=("en", "zh"), help="the language to write (default: en)")
    n.add_argument("--date", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)")
    n.add_argument("--tags", type=_list, default=[], help="comma-separated tag slugs")
    n.add_argument("--countries", type=_list, default=[], help="comma-separated ISO country codes, e.g. BE,NL")
    n.add_argument("--slug", help="the slug (needed when the title has no Latin letters)")
    mv = commands.add_parser("move", help="move or rename an item, keeping its old address",
                             description="Move an item to another year or slug: both language files and its media "
                                         "folder. Its old address is kept in each file's aliases (a page there "
                                         "leads to the new one), other items' links follow it, and any other "
                                         "address the site loses (a year, a month) is kept in "
                                         "content/redirects.yaml.")
    sources(mv)
    mv.add_argument("old", metavar="YEAR/SLUG", help="the item as it is, such as 2023/cqu-belgian-ambassador-visit")
    mv.add_argument("new", metavar="NEW_YEAR/NEW_SLUG", help="where it goes")
    mv.add_argument("--date", help="its date in the new year (needed when the year changes), as in front matter")
    rm = commands.add_parser("remove", help="remove an item, keeping its addresses",
                             description="Remove an item: both language files and its media folder. Its addresses "
                                         "(and any other the site loses with it, such as a country no item names "
                                         "any more) are kept in content/redirects.yaml: as a notice that it was "
                                         "removed, or leading to --to.")
    sources(rm)
    rm.add_argument("item", metavar="YEAR/SLUG", help="the item to remove")
    rm.add_argument("--to", metavar="YEAR/SLUG", help="an item that replaces it: its addresses lead there")
    im = commands.add_parser("import", help="bring in news published elsewhere: pages, feeds, WordPress exports",
                             description="Import news items from article pages (saved HTML files or addresses, or a "
                                         "text file listing them), RSS/Atom feeds and WordPress exports (WXR, with "
                                         "WPML or Polylang translations), each recognised from its content. Items "
                                         "are written as drafts, paired across languages only where a source says "
                                         "so (hreflang alternates, WPML, Polylang, or --pairs), with their photos "
                                         "in their own media folder and their old address as an alias. Running it "
                                         "again writes only what changed at the source and was not edited here.")
    sources(im)
    im.add_argument("inputs", nargs="+", metavar="SOURCE", help="a file or an http(s) address")
    im.add_argument("--lang", choices=("en", "zh"), help="the language of sources that do not state theirs")
    im.add_argument("--dry-run", action="store_true", help="say what would be written, and write nothing")
    im.add_argument("--publish", action="store_true", help="write published items, not drafts (a source's "
                                                           "drafts stay drafts)")
    im.add_argument("--pairs", type=Path, help="a file of pairs, one 'ENGLISH CHINESE' (addresses or files) a line")
    im.add_argument("--uploads", type=Path, help="a WordPress uploads folder (wp-content/uploads) to take "
                                                 "attachments from instead of the old site")
    return parser


def _import(args) -> int:
    from .importing import run, summary
    from .vocabularies import load_institutions

    try:
        institutions = load_institutions(args.content, args.content.parent)
    except ContentErrors:
        institutions = {}
    outcome = run(args.content, args.inputs, lang=args.lang, dry_run=args.dry_run, publish=args.publish,
                  pairs_file=args.pairs, uploads=args.uploads, institutions=institutions,
                  say=lambda line: print(line, file=sys.stderr, flush=True))
    print(summary(outcome, args.dry_run))
    if outcome.written or outcome.updated:
        print("next: .venv/bin/python build.py check, then make serve DRAFTS=1 to read the drafts")
    return EXIT_OK


def _move(args) -> int:
    from .moving import MoveError, move, parse_item, remove
    from .pipeline import load, plan

    project = _project(args)
    try:
        plan_now = lambda: plan(load(project), drafts=False)   # noqa: E731
        if args.command == "move":
            if args.date is not None:
                _iso_date(args.date[:10])
                from .fields import parse_moment
                from .config import load_config
                parse_moment(args.date, load_config(project.config_file).zone)
            done = move(project.content, parse_item(args.old), parse_item(args.new), args.date, plan_now)
        else:
            done = remove(project.content, parse_item(args.item), parse_item(args.to) if args.to else None, plan_now)
    except (MoveError, ValueError, argparse.ArgumentTypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print("fix these first; nothing was moved or removed" if not getattr(exc, "after", False)
              else "the change was made; fix these", file=sys.stderr)
        return EXIT_CONTENT
    for line in done:
        print(line)
    return EXIT_OK


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _base_url(value: str) -> str:
    from .config import base_url_problem
    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _iso_date(value: str):
    from datetime import date, timezone

    from .fields import parse_moment
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form YYYY-MM-DD")
    try:   # the rules of front matter's date (a year the archive can hold)
        return date.fromisoformat(parse_moment(value, timezone.utc).date.isoformat())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _check(args) -> int:
    from .checks import from_errors, media_findings, translation_findings, vanished_findings
    from .pipeline import load, plan

    project = _project(args)
    try:
        loaded = load(project)
    except ContentErrors as exc:
        findings = from_errors(exc)
    else:
        findings = translation_findings(loaded.content) + media_findings(loaded.content)
        try:   # photos processed and the site planned as a build does it: check finds what build finds
            plan(loaded, media_cache=project.root / ".cache" / "newsarchive" / "media")
        except ContentErrors as exc:
            findings += from_errors(exc)
        if args.since:
            findings += vanished_findings(project, loaded, args.since)
    findings.sort()
    for finding in findings:
        print(finding.github() if args.format == "github" else finding)
    errors = sum(f.level == "error" for f in findings)
    print(f"{errors} error{'s' if errors != 1 else ''}, {len(findings) - errors} warning"
          f"{'s' if len(findings) - errors != 1 else ''}", file=sys.stderr)
    return EXIT_CONTENT if errors else EXIT_OK


def _translations(args) -> int:
    from .pipeline import load
    from .translations import MarkError, format_status, mark, translation_status

    try:
        content = load(_project(args)).content
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return EXIT_CONTENT
    if args.mark:
        try:
            digest = mark(args.mark, content)
        except MarkError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_CONTENT
        print(f"marked {args.mark}: source_digest {digest}")
        return EXIT_OK
    print(format_status(translation_status(content)))
    return EXIT_OK


def _new(args) -> int:
    from datetime import date

    from .scaffold import ScaffoldError, new_item, translate_item
    from .vocabularies import load_tags

    try:
        if args.translate:
            from .fields import did_you_mean
            from .pipeline import load
            if args.title or args.tags or args.countries or args.date or args.slug:
                raise ScaffoldError("a translation takes its date, tags and countries from its original; give only "
                                    "--translate SLUG --lang LANGUAGE")
            if not args.lang:
                raise ScaffoldError("give the language to translate into with --lang")
            articles = load(_project(args)).content.articles
            versions = [a for a in articles if a.slug == args.translate]
            if not versions:
                raise ScaffoldError(f"there is no item '{args.translate}'"
                                    f"{did_you_mean(args.translate, {a.slug for a in articles})}")
            original = min(versions, key=lambda a: a.original_first)
            paths = [translate_item(args.content, original, args.lang)]
        else:
            if not args.title:
                raise ScaffoldError("give the title with --title (or --translate SLUG to start a translation)")
            vocabulary = set(load_tags(args.content, args.content.parent))
            paths = new_item(args.content, args.title, lang=args.lang, day=args.date or date.today(), tags=args.tags,
                             countries=args.countries, slug=args.slug, vocabulary=vocabulary)
    except (ScaffoldError, ContentErrors) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for path in paths:
        print(f"wrote {path} (a draft: make serve DRAFTS=1 previews it; remove 'draft: true' when it is ready)")
    return EXIT_OK


def _project(args) -> Project:
    return Project.at(Path(__file__).resolve().parent.parent, content=args.content, config_file=args.config)


def _build(args, builder: Builder) -> int:
    def unchanged() -> str:   # what the output is when the build stops with an error
        if builder.published:
            return f"the new site is in place in {args.output} and complete"
        return f"nothing was written, {args.output} is unchanged"
    builder.progress = Progress("photos")
    builder.render_progress = Progress("pages")
    builder.parse_progress = Progress("files")
    try:
        report = builder.build()
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        n = len(exc.errors)
        print(f"{n} error{'s' if n != 1 else ''}; {unchanged()}", file=sys.stderr)
        return EXIT_CONTENT
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except TemplateFailure as exc:
        print(f"{exc}\n{unchanged()}", file=sys.stderr)
        return EXIT_CONTENT
    except SearchIndexError as exc:
        print(f"error: {exc}; {unchanged()}", file=sys.stderr)
        return EXIT_CONTENT
    except (MemoryError, WorkerLost) as exc:
        print(f"error: {out_of_memory(exc)}; {unchanged()}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:   # a full disk, a folder we may not write
        print(f"error: {write_failure(exc, args.output)}; {unchanged()}", file=sys.stderr)
        return EXIT_CONTENT
    print(report.summary())
    for note in report.notes:
        print(note, file=sys.stderr)
    return EXIT_OK


def internal_error(what: str) -> int:
    """An exception nobody expected: the traceback, and a word that it is a bug, not the content."""
    traceback.print_exc()
    print(f"internal error: {what} failed because of a bug in newsarchive, not because of your content; "
          f"please report it with the traceback above", file=sys.stderr)
    return EXIT_INTERNAL


def _serve(args) -> int:
    from .preview import Preview
    from .serve import LiveState, make_server

    base_url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
    project = _project(args)
    try:
        check_output_folder(args.output, (project.root, project.content, project.templates, project.theme))
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    live = LiveState()
    builder = Builder(project, args.output, base_url=base_url, drafts=args.drafts)
    builder.media_cache = project.root / ".cache" / "newsarchive" / "media"   # photos encoded once, as by build
    builder.progress = Progress("photos")
    preview = Preview(builder, live, log=lambda line: print(line, flush=True))
    try:
        server = make_server(args.output, args.host, args.port, live=live)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with builder.lock:   # no build may swap the folder out from under the preview
            preview.initial_build()
            preview.start()
            try:   # the line inside: a SIGTERM sent on reading it must land here, not before the try
                print(f"serving {args.output} on {base_url}, watching for changes (Ctrl-C to stop)", flush=True)
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                preview.stop()
    except OutputBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except OSError as exc:   # the output's folder cannot be written (read-only, full)
        print(f"error: {write_failure(exc, builder.output)}", file=sys.stderr)
        return EXIT_CONTENT
    finally:
        server.server_close()
    return EXIT_OK


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    root = root or Path.cwd()
    try:
        args = _parser(root).parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    if args.command == "serve":
        return _serve(args)
    if args.command in ("check", "translations", "new", "move", "remove", "import"):
        return {"check": _check, "translations": _translations, "new": _new, "move": _move,
                "remove": _move, "import": _import}[args.command](args)
    builder = Builder(_project(args), args.output, base_url=args.base_url, drafts=args.drafts,
                      cache_file=None if args.no_cache else args.cache_dir / "content.json")
    try:
        return _build(args, builder)
    except KeyboardInterrupt:
        if builder.published:
            print(f"interrupted after the new site was in place; {args.output} is complete", file=sys.stderr)
        else:   # the staged folder is removed on the way out; output/ was never touched
            print(f"interrupted; nothing was written, {args.output} is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:   # noqa: BLE001 - anything else is a bug; the staged folder is gone already
        code = internal_error("the build")
        print(f"{args.output} is {'complete' if builder.published else 'unchanged'}", file=sys.stderr)
        return code
