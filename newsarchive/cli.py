"""Commands, messages and exit codes: 0 success, 1 content errors, 2 usage errors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentErrors
from .output import UnsafeOutput, check_output_folder
from .pipeline import Project, build
from .render import TemplateFailure
from .search import SearchIndexError

COMMANDS = ("build", "serve")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the bilingual news archive into a static site. Without a command, builds.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,serve}")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=root / "content", help="content folder (default: content/)")
        p.add_argument("--config", type=Path, default=root / "site.yaml", help="site configuration (default: site.yaml)")
        p.add_argument("--output", type=Path, default=root / "output", help="output folder (default: output/)")
        p.add_argument("--drafts", action="store_true", help="include items marked draft: true")

    b = commands.add_parser("build", help="build the site into the output folder (the default command)",
                            description="Build the site. The previous output is replaced only when the build is complete.")
    common(b)
    b.add_argument("--base-url", help="absolute URL the site is published at (default: base_url in site.yaml)")
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change",
                            description="Build the site for local viewing, serve it on 127.0.0.1, and watch "
                                        "content/, templates/, theme/ and the config: each change rebuilds what it "
                                        "affects and reloads open browser tabs; content errors show in the page.")
    common(s)
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    return parser


def _project(args) -> Project:
    return Project.at(Path(__file__).resolve().parent.parent, content=args.content, config_file=args.config)


def _build(args, base_url: str | None) -> int:
    project = _project(args)
    try:
        report = build(project, args.output, base_url=base_url, drafts=args.drafts)
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        n = len(exc.errors)
        print(f"{n} error{'s' if n != 1 else ''}; nothing was written, {args.output} is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TemplateFailure as exc:
        print(f"{exc}\nnothing was written, {args.output} is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except SearchIndexError as exc:
        print(f"error: {exc}; {args.output} is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    print(report.summary())
    return EXIT_OK


def _serve(args) -> int:
    from .pipeline import Builder
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
    preview = Preview(Builder(project, args.output, base_url=base_url, drafts=args.drafts), live,
                      log=lambda line: print(line, flush=True))
    try:
        server = make_server(args.output, args.host, args.port, live=live)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    preview.initial_build()
    preview.start()
    print(f"serving {args.output} on {base_url}, watching for changes (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
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
    return _build(args, args.base_url)
