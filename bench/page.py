"""Time one page's reruns after filter changes, in a process of its own.

`python -m bench.page --snapshot DIR --page pages/x.py --runs N` prints one JSON line:
the first (cold) load, the median and 95th percentile of N reruns after a borough
change (each to a borough not yet seen, so every rerun misses the query cache), and the
process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time

from lib.boroughs import BOROUGHS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.update(
        {"DASHBOARD_SNAPSHOT": args.snapshot, "DASHBOARD_BASEMAP": "off", "DASHBOARD_SNAPSHOTS_DIR": "/nonexistent"}
    )
    from tests.apptest import rerun, run_page

    started = time.perf_counter()
    at = run_page(args.page, timeout=300)
    first_load = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{args.page} raised: {at.exception[0].value}")
    timings = []
    codes = [b.gss_code for b in BOROUGHS][: args.runs]
    for code in codes:
        next(s for s in at.sidebar.selectbox if s.label == "Borough").set_value(code)
        started = time.perf_counter()
        at = rerun(at)
        timings.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(f"{args.page} raised for {code}: {at.exception[0].value}")
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(
        json.dumps(
            {
                "page": args.page,
                "first_load_s": round(first_load, 3),
                "median_ms": round(statistics.median(timings) * 1000, 1),
                "p95_ms": round(p95 * 1000, 1),
                "runs": len(timings),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
