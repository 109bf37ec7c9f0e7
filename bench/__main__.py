"""Benchmark every page at full London scale and on a tiny snapshot.

    python -m bench [--runs 15] [--pages overview violence ...]

Builds (once) a full-scale demo snapshot (60 months, scale 1) and a tiny one (60 months,
scale 0.02) under bench/.snapshots/, then times each page in its own process and writes
bench/results.md. Budget: a filter change costs at most 300 ms median server-side at full
scale, and no more than 2x the same page on the tiny snapshot.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import RESULTS, ROOT, SNAPSHOTS, write_section

SIZES = {"full": 1.0, "tiny": 0.02}
BUDGET_MS = 300
PAGES = ("overview", "violence", "trust", "stop_search", "harm", "about")


def ensure_snapshot(name: str, scale: float) -> tuple[Path, float]:
    out = SNAPSHOTS / name
    if (out / "manifest.json").exists():
        return out, 0.0
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lib.demo", "--out", str(out), "--months", "60", "--scale", str(scale), "--seed", "1"],
        cwd=ROOT,
        check=True,
    )
    return out, time.perf_counter() - started


def time_page(snapshot: Path, page: str, runs: int) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.page",
            "--snapshot",
            str(snapshot),
            "--page",
            f"pages/{page}.py",
            "--runs",
            str(runs),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", nargs="*", default=[p for p in PAGES if (ROOT / "pages" / f"{p}.py").exists()])
    args = parser.parse_args()
    snapshots = {name: ensure_snapshot(name, scale) for name, scale in SIZES.items()}
    rows = []
    for page in args.pages:
        full = time_page(snapshots["full"][0], page, args.runs)
        tiny = time_page(snapshots["tiny"][0], page, args.runs)
        ratio = full["median_ms"] / max(tiny["median_ms"], 1e-9)
        ok = full["median_ms"] <= BUDGET_MS and ratio <= 2
        rows.append((page, full, tiny, ratio, ok))
        print(
            f"{page:12s} full median {full['median_ms']:7.1f} ms  p95 {full['p95_ms']:7.1f} ms  "
            f"tiny median {tiny['median_ms']:7.1f} ms  ratio {ratio:4.2f}  peak {full['peak_rss_mb']:.0f} MB  "
            f"{'ok' if ok else 'OVER BUDGET'}",
            flush=True,
        )
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; `python -m bench --runs {args.runs}`.",
        "Each figure is a server-side rerun (AppTest) after a borough change to a borough not yet shown, so "
        "every rerun misses the query cache. Full: 60 months at London scale; tiny: 60 months at 2%.",
        "",
        "| page | full median (ms) | full p95 (ms) | tiny median (ms) | full ÷ tiny | first load, full (s) "
        "| peak memory, full (MB) | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, full, tiny, ratio, ok in rows:
        lines.append(
            f"| {page} | {full['median_ms']:.0f} | {full['p95_ms']:.0f} | {tiny['median_ms']:.0f} | "
            f"{ratio:.2f} | {full['first_load_s']:.1f} | {full['peak_rss_mb']:.0f} | "
            f"{'within' if ok else 'OVER'} |"
        )
    built = snapshots["full"][1]
    if built:
        lines += ["", f"Building the full-scale snapshot took {built:.0f} s."]
    write_section("Page benchmark", lines)
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
