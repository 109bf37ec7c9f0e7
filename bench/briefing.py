"""Benchmark the borough briefing pack at full London scale.

    python -m bench.briefing [--boroughs 8]

Uses the full-scale demo snapshot of `python -m bench` (built once under bench/.snapshots/).
Times, in one process with one Store (as the command and the app use it): the first pack
(cold: vl-convert and typst start, London-wide queries run), then single packs for further
boroughs (warm), then all 33 boroughs as `--all-boroughs` writes them. Budget: one pack at
most 5 s warm, all 33 at most 2 minutes. Writes its section of bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
from datetime import UTC, datetime

from bench import RESULTS, write_section
from bench.__main__ import SIZES, ensure_snapshot
from lib.boroughs import BOROUGHS
from lib.briefing import Briefer
from lib.contract import open_snapshot
from lib.store import Store

ONE_PACK_S = 5.0
ALL_PACKS_S = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boroughs", type=int, default=8, help="warm single packs to time")
    args = parser.parse_args()
    snapshot, _ = ensure_snapshot("full", SIZES["full"])
    started = time.perf_counter()
    store = Store(open_snapshot(snapshot))
    open_s = time.perf_counter() - started
    briefer = Briefer(store)
    _, period = briefer.request(BOROUGHS[0].gss_code)

    started = time.perf_counter()
    briefer.pdf("E09000022", period)
    cold_s = time.perf_counter() - started

    # Warm: a fresh Briefer per pack would redo London-wide work; the app keeps one per
    # store, so warm means the process and the store are up, each borough new.
    warm = []
    for borough in BOROUGHS[1 : 1 + args.boroughs]:
        started = time.perf_counter()
        briefer.pdf(borough.gss_code, period)
        warm.append(time.perf_counter() - started)

    fresh = Briefer(store)  # all 33 as the command does it: one Briefer, every borough
    started = time.perf_counter()
    sizes = [len(fresh.pdf(b.gss_code, period)) for b in BOROUGHS]
    all_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    median, worst = statistics.median(warm), max(warm)
    ok = worst <= ONE_PACK_S and all_s <= ALL_PACKS_S
    print(
        f"open {open_s:.1f} s; first pack {cold_s:.1f} s; warm median {median:.2f} s, max {worst:.2f} s; "
        f"all 33 {all_s:.0f} s; {statistics.median(sizes) / 1024:.0f} KB a pack; peak {peak_mb:.0f} MB; "
        f"{'within budget' if ok else 'OVER BUDGET'}"
    )
    section = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; `python -m bench.briefing --boroughs {args.boroughs}` on the full-scale "
        f"snapshot (60 months at London scale, with the harm table), period {period.short()}, PDF output, four "
        f"topic sections. One process, one Store; load average {os.getloadavg()[0]:.1f} at the end (2 cores).",
        "",
        "| measure | seconds | budget |",
        "|---|---:|---|",
        f"| open the snapshot | {open_s:.1f} | |",
        f"| first pack (cold: renderers start, London-wide queries) | {cold_s:.1f} | |",
        f"| one pack, warm (median of {len(warm)} boroughs) | {median:.2f} | ≤ {ONE_PACK_S:.0f} s |",
        f"| one pack, warm (slowest) | {worst:.2f} | ≤ {ONE_PACK_S:.0f} s |",
        f"| all 33 boroughs (a new Briefer, as `--all-boroughs`) | {all_s:.0f} | ≤ {ALL_PACKS_S:.0f} s |",
        "",
        f"Median PDF size {statistics.median(sizes) / 1024:.0f} KB; peak memory {peak_mb:.0f} MB. "
        f"{'Within budget.' if ok else 'OVER BUDGET.'}",
        "",
    ]
    write_section("Briefing pack", section)
    print(f"Wrote {RESULTS.name}")


if __name__ == "__main__":
    main()
