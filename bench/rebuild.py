"""Memory over rebuilds: a served snapshot rebuilt and reopened again and again.

    .venv/bin/python -m bench.rebuild [--cycles 10] [--scale 1] [--write]

Starts a server of its own with a demo snapshot in bench/.snapshots/rebuild, then, each
cycle, rebuilds that snapshot in place (`python -m lib.demo`, a new seed each time, so the
files really change) and opens the Violence and Stop and search pages over the websocket
protocol, as a browser would, so the server reopens the snapshot. It records the server's
resident memory just after each reopen (when the old copy may still be finishing a page)
and again 12 s later (when it has been released). Memory should stay flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench import RESULTS, ROOT, SNAPSHOTS, write_section
from bench.load import Session
from bench.server import free_port, rss_mb, start_server, stop_server

FOLDER = SNAPSHOTS / "rebuild"


def build(seed: int, scale: float) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "lib.demo", "--out", str(FOLDER), "--months", "60", "--scale", str(scale)]
    subprocess.run([*command, "--seed", str(seed)], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


async def view_pages(url: str) -> list[str]:
    errors = []
    async with Session(url, 0, 120) as session:
        for page, borough in (("violence", "Lambeth"), ("stop_search", "Hackney"), ("overview", "Camden")):
            view = await (session.open(page, borough) if not session.page_hashes else session.change(page, borough))
            if view.error:
                errors.append(f"{page}: {view.error}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.rebuild", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cycles", type=int, default=10, help="rebuild-and-reopen cycles (default 10)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (default 1: London volumes)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="record the results in bench/results.md")
    args = parser.parse_args(argv)
    print(f"Building the starting snapshot in {FOLDER}…", flush=True)
    build(1000, args.scale)
    port = args.port or free_port()
    server = start_server(FOLDER, port)
    url = f"http://127.0.0.1:{port}"
    readings: list[tuple[int, float, float, float, list[str]]] = []
    try:
        for cycle in range(args.cycles + 1):
            seconds = build(1000 + cycle, args.scale) if cycle else 0.0
            errors = asyncio.run(view_pages(url))
            opened = rss_mb(server.pid) or 0.0
            time.sleep(12)  # past the grace period in which the old copy may still be drawing a page
            settled = rss_mb(server.pid) or 0.0
            readings.append((cycle, seconds, opened, settled, errors))
            print(f"cycle {cycle:2d}: {opened:6.0f} MB, {settled:6.0f} MB settled {errors or ''}", flush=True)
    finally:
        stop_server(server)
    first, last = readings[0][3], readings[-1][3]
    growth = (last - readings[1][3]) / max(len(readings) - 2, 1)
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()} "
        f"({os.cpu_count()} cores); `.venv/bin/python -m bench.rebuild {' '.join(argv or sys.argv[1:])}`: a demo "
        f"snapshot at scale {args.scale:g} (60 months) rebuilt in place {args.cycles} times while served, each time "
        "reopened by viewing Violence, Stop and search and Overview.",
        "",
        "| after | just reopened (MB) | 12 s later (MB) | errors |",
        "|---|---:|---:|---|",
        *(
            f"| {'first opening' if c == 0 else f'rebuild {c}'} | {opened:.0f} | {settled:.0f} | "
            f"{'; '.join(e) or 'none'} |"
            for c, _, opened, settled, e in readings
        ),
        "",
        f"Settled memory: {first:.0f} MB at the first opening, {last:.0f} MB after {args.cycles} rebuilds "
        f"({growth:+.1f} MB per rebuild from the first rebuild on).",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("Memory over rebuilds", lines)
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0 if all(not e for *_, e in readings) else 1


if __name__ == "__main__":
    sys.exit(main())
