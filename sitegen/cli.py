"""The `sitegen` command: parses arguments, runs a stage, prints errors, sets the exit status."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from . import __version__
from .config import CONFIG_NAME
from .errors import BuildFailed, SitegenError
from .pipeline import BuildOptions, build


def run() -> NoReturn:
    """The `sitegen` command: main(), then end the process at once, without freeing every
    object of the site one by one (half a second after a build of 10,000 articles)."""
    code = main(exiting=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, exiting: bool = False) -> int:
    """Run a command; `exiting`: the process ends right after it (the `sitegen` command)."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if exiting and args.command != "serve":
        # A one-shot command leaves no garbage worth collecting: the collection that would
        # follow a build only walks the objects it kept (0.1 s at 10,000 articles).
        gc.disable()
    try:
        return args.run(args)
    except BuildFailed as failure:
        for error in failure.errors:
            print(f"error: {error}", file=sys.stderr)
        count = len(failure.errors)
        print(f"{count} error{'s' if count != 1 else ''}: nothing was written", file=sys.stderr)
        return 1
    except SitegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:
        if args.debug:
            raise
        print(
            "error: sitegen failed unexpectedly (run again with --debug to see why):",
            file=sys.stderr,
        )
        print(traceback.format_exc().strip().splitlines()[-1], file=sys.stderr)
        return 1


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Build a news site from Markdown.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_parser = commands.add_parser("build", help="build the site into the output folder")
    _site_options(build_parser)
    build_parser.add_argument(
        "--output", type=Path, help="output folder (default: output_dir of config.yaml)"
    )
    build_parser.add_argument(
        "--no-cache", action="store_true", help="ignore the build cache (.sitegen-cache/)"
    )
    build_parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on broken links in the output instead of warning (nothing is written)",
    )
    build_parser.set_defaults(run=run_build)

    check_parser = commands.add_parser(
        "check",
        help="run every check of a build, and check every link "
        "of the output (external ones are listed, not fetched); write nothing",
    )
    _site_options(check_parser)
    check_parser.add_argument(
        "--verbose", "-v", action="store_true", help="list every external link"
    )
    check_parser.set_defaults(run=run_check, output=None, no_cache=False)

    new_parser = commands.add_parser("new", help="create a new article with its front matter")
    new_parser.add_argument("title", help='the article title, e.g. "Hội nghị tổng kết năm 2026"')
    new_parser.add_argument("--section", required=True, help="section key from config.yaml")
    new_parser.add_argument("--subsite", metavar="KEY", help="in a portal, the sub-site's key")
    new_parser.add_argument("--author", help="author name")
    new_parser.add_argument(
        "--config", type=Path, default=Path(CONFIG_NAME), help="path to config.yaml"
    )
    new_parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    new_parser.set_defaults(run=run_new)

    serve_parser = commands.add_parser(
        "serve", help="build, serve, rebuild and reload on every save"
    )
    _site_options(serve_parser)
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_parser.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000, or the next free one)"
    )
    serve_parser.set_defaults(run=run_serve, output=None, no_cache=False)
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=Path(CONFIG_NAME), help="path to config.yaml"
    )
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument(
        "--future", action="store_true", help="include articles dated in the future"
    )
    parser.add_argument("--base-url", help="override base_url (preview deployments)")
    parser.add_argument(
        "--subsite",
        metavar="KEY",
        help="in a portal, only this sub-site (and the portal pages that list it): a quick preview",
    )
    parser.add_argument(
        "--jobs", "-j", type=_positive, help="worker processes (default: one per core)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--timings", action="store_true", help="print the time spent in each stage")


def _options(args: argparse.Namespace, write: bool) -> BuildOptions:
    return BuildOptions(
        config_path=args.config,
        output=args.output,
        drafts=args.drafts,
        future=args.future,
        base_url=args.base_url,
        write=write,
        strict=getattr(args, "strict", False),
        use_cache=not args.no_cache,
        jobs=args.jobs,
        prepare_spare=not in_ci(),
        subsite=args.subsite,
    )


def in_ci() -> bool:
    """CI services set CI (GitHub Actions, GitLab CI, and most others)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _print_timings(args: argparse.Namespace, result) -> None:
    if args.timings:
        laps = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items())
        print(f"Stages: {laps}")


def _print_warnings(result) -> None:
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    result = build(_options(args, write=True))
    _print_warnings(result)
    print(
        f"Built {result.pages} pages ({result.rendered} rendered) in {result.seconds:.2f} s: "
        f"{result.files_written} files written, {result.files_kept} unchanged, "
        f"in {_shown(result.output)}"
    )
    _print_timings(args, result)
    return 0


def run_check(args: argparse.Namespace) -> int:
    result = build(_options(args, write=False))
    _print_warnings(result)
    print(f"Checked {result.pages} pages in {result.seconds:.2f} s: no errors")
    external = result.links.external if result.links else {}
    if external:
        count = len(external)
        print(f"{count} external link{'s' if count != 1 else ''}, not checked"
              + ("" if args.verbose else " (--verbose lists them)"))  # fmt: skip
        for url, pages in sorted(external.items()) if args.verbose else ():
            print(f"  {url} (on {pages} page{'s' if pages != 1 else ''})")
    _print_timings(args, result)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .serve import ServeOptions, serve

    options = replace(_options(args, write=True), prepare_spare=True)  # edits will follow
    return serve(ServeOptions(options, args.host, args.port))


def run_new(args: argparse.Namespace) -> int:
    from .newarticle import create_article

    path = create_article(args.config, args.title, args.section, args.author, args.subsite)
    print(f"Created {_shown(path)}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
