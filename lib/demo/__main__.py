"""Command line: `python -m lib.demo --out DIR [--months N] [--scale X] [--seed S] [--end YYYY-MM]`."""

from __future__ import annotations

import argparse
import sys
import time

from lib import months
from lib.demo import DemoSpec, build_tables, write_demo

RECOMMENDED_MONTHS = 24  # two years, so year-on-year change tests have something to compare


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.demo",
        description="Write the synthetic demo snapshot (realistic London magnitudes at --scale 1).",
    )
    parser.add_argument("--out", required=True, help="snapshot folder to write (replaced atomically)")
    parser.add_argument("--months", type=int, default=36, help="number of months (default 36)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiplier on event volumes; 1 = London's real magnitudes (default 1)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--end", default="2025-09", help="last month, YYYY-MM (default 2025-09)")
    return parser


def parse_spec(argv: list[str] | None = None) -> tuple[str, DemoSpec]:
    """The output folder and DemoSpec from the command line; exits with a message (no
    traceback) when an argument is out of range."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.months < 1:
        parser.error("--months must be at least 1.")
    if not args.scale > 0 or args.scale > 100:
        parser.error("--scale must be greater than 0 (1 = real London volumes) and at most 100.")
    if args.seed < 0:
        parser.error("--seed must be 0 or more.")
    try:
        months.argument(args.end)
    except argparse.ArgumentTypeError:
        parser.error(f"--end must be a month written YYYY-MM, such as 2025-09 (got {args.end!r}).")
    if args.months < RECOMMENDED_MONTHS:
        print(
            f"warning: --months {args.months} is under {RECOMMENDED_MONTHS}; change over time "
            "will be hard to judge in the app.",
            file=sys.stderr,
        )
    return args.out, DemoSpec(months=args.months, scale=args.scale, seed=args.seed, end=args.end)


def main(argv: list[str] | None = None) -> None:
    out, spec = parse_spec(argv)
    started = time.perf_counter()
    tables = build_tables(spec)
    built = time.perf_counter()
    path = write_demo(out, spec, tables)
    for name, table in tables.items():
        print(f"{name:14s} {len(table):>12,} rows")
    finished = time.perf_counter()
    print(
        f"Wrote {spec.snapshot_id} to {path} in {finished - started:.1f} s "
        f"(generate {built - started:.1f} s, write {finished - built:.1f} s)."
    )


if __name__ == "__main__":
    main()
