"""Command line of the official pipeline (`python -m lib.pipeline build|download`).

Errors a user's files or arguments can cause print one sentence to stderr and exit 1.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from lib import months
from lib.pipeline.errors import BuildError


def _para(text: str) -> str:
    return textwrap.fill(text, width=88)


_EXAMPLES = """\
examples:
  .venv/bin/python -m lib.pipeline download --from 2023-01 --to 2025-02 --dest sources/
  .venv/bin/python -m lib.pipeline build --source sources/ --out data/snapshots/official-2025-02

The dashboard lists every snapshot in data/snapshots/ in its sidebar. Run
`.venv/bin/python -m lib.pipeline build --help` for what a build checks.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=".venv/bin/python -m lib.pipeline",
        description=_para(
            "Make an official snapshot for the dashboard from the publishers' own files: download them, then build."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,download}")
    build = commands.add_parser(
        "build",
        help="build an official snapshot from downloaded files",
        description=_para(
            "Read every publisher's file in --source (as downloaded, zips too) and write a snapshot to --out. "
            "A problem with a file stops the build with one sentence naming the file, row and column; --out is "
            "then left exactly as it was. Files the pipeline does not recognise are listed, not read."
        ),
        epilog="example:\n  .venv/bin/python -m lib.pipeline build --source sources/ "
        "--out data/snapshots/official-2025-02",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--source", required=True, type=Path, help="folder of publishers' files (zips too)")
    build.add_argument("--out", required=True, type=Path, help="snapshot folder to write (replaced on success)")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    download = commands.add_parser(
        "download",
        help="fetch the publishers' files (needs internet)",
        description=_para(
            "Download the publishers' files for the months --from to --to into --dest (resumable: files already "
            "complete are kept), ready for `build`."
        ),
        epilog="example:\n  .venv/bin/python -m lib.pipeline download --from 2023-01 --to 2025-02 --dest sources/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    download.add_argument("--from", dest="start", required=True, type=months.argument, help="first month, YYYY-MM")
    download.add_argument("--to", dest="end", required=True, type=months.argument, help="last month, YYYY-MM")
    download.add_argument("--dest", required=True, type=Path, help="folder to download into")
    download.add_argument(
        "--street",
        action="store_true",
        help="also fetch the data.police.uk archive for the last month (street crime; about 1.5 GB)",
    )
    download.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from lib.pipeline.build import build_snapshot

            summary = build_snapshot(args.source, args.out, progress=not args.quiet)
            print("\n".join(summary.lines()))
        else:
            from lib.pipeline.download import download_all

            if args.end < args.start:
                raise BuildError("--to must be the same month as --from or later.")
            files = download_all(args.start, args.end, args.dest, progress=not args.quiet, street=args.street)
            print(f"{len(files)} files are ready in {args.dest}.")
    except BuildError as exc:
        verb = "Build" if args.command == "build" else "Download"
        print(f"{verb} failed: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0  # output piped into `head`: the build itself finished
    except KeyboardInterrupt:
        print("Stopped; the previous snapshot is unchanged.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
