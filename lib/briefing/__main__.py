"""Write borough briefing packs from the command line.

    python -m lib.briefing --borough Lambeth --from 2024-03 --to 2025-02 --out lambeth.pdf
    python -m lib.briefing --all-boroughs --out-dir packs/ [--from … --to …] [--html]

--snapshot defaults to the snapshot the dashboard would open (DASHBOARD_SNAPSHOT, else the
demo). The borough is a name or GSS code, as in the dashboard's links; the period defaults
to the latest 12 months the snapshot holds. --html writes the HTML version instead of the
PDF. Bad input gets one sentence and exit code 1; nothing half-written is left behind.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tqdm import tqdm

from lib import settings
from lib.boroughs import BOROUGHS
from lib.briefing import AtomicFile, Briefer, BriefingError, file_stem
from lib.briefing.typeset import TypesetError
from lib.contract import SnapshotError, open_snapshot
from lib.store import Store


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one sentence and exit 1, not argparse's usage dump and 2
        raise BriefingError(f"{message[0].upper()}{message[1:]} (see python -m lib.briefing --help).")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m lib.briefing", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--snapshot", type=Path, help="snapshot folder (default: the one the dashboard opens)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--borough", help="borough name or GSS code, e.g. Lambeth or E09000022")
    which.add_argument("--all-boroughs", action="store_true", help="one pack for each of the 33 boroughs")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (default: 11 months before --to)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (default: the latest held)")
    parser.add_argument("--out", type=Path, help="file to write (with --borough)")
    parser.add_argument("--out-dir", type=Path, help="folder to write into (with --all-boroughs)")
    parser.add_argument("--html", action="store_true", help="write the HTML version instead of the PDF")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(_parser().parse_args(argv))
    except BriefingError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped; no partly written file was left behind.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.borough is not None and args.out is None:
        raise BriefingError("Say where to write the pack with --out FILE.pdf.")
    if args.all_boroughs and args.out_dir is None:
        raise BriefingError("Say which folder to write the packs into with --out-dir DIR.")
    folder = args.snapshot or settings.default_snapshot()
    try:
        store = Store(open_snapshot(folder))
    except SnapshotError as error:
        raise BriefingError(f"The snapshot cannot be opened: {error}") from error
    briefer = Briefer(store)
    suffix = ".html" if args.html else ".pdf"
    started = time.perf_counter()
    if args.borough is not None:
        borough, period = briefer.request(args.borough, args.start, args.end)
        target = AtomicFile(args.out)
        _write(briefer, borough, period, target, args.html)
        print(f"Wrote {args.out} in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
        return 0
    _, period = briefer.request(BOROUGHS[0].gss_code, args.start, args.end)
    try:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BriefingError(f"Cannot create the folder {args.out_dir}: {error.strerror or error}.") from error
    targets = [(b.gss_code, AtomicFile(args.out_dir / f"{file_stem(b.gss_code, period)}{suffix}")) for b in BOROUGHS]
    try:
        for borough, target in tqdm(targets, desc="Briefing packs", unit="pack", file=sys.stderr):
            _write(briefer, borough, period, target, args.html)
    finally:
        for _, target in targets:
            target.discard()
    print(f"Wrote {len(targets)} packs to {args.out_dir} in {time.perf_counter() - started:.0f} s.", file=sys.stderr)
    return 0


def _write(briefer: Briefer, borough: str, period, target: AtomicFile, html: bool) -> None:
    try:
        data = briefer.html(borough, period) if html else briefer.pdf(borough, period)
    except TypesetError as error:
        target.discard()
        raise BriefingError(str(error)) from error
    except BaseException:
        target.discard()
        raise
    target.commit(data)


if __name__ == "__main__":
    sys.exit(main())
