"""Build data/reference/boroughs.parquet from the npm package vega-datasets@3.2.1.

Its data/londonBoroughs.json is TopoJSON keyed by borough name, in WGS84 without a CRS
member (Open Government Licence v3, derived from the GLA statistical boundary files).
Run once: `python scripts/build_reference.py` (needs npm and the npm registry).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.geo import BOROUGHS_PARQUET, boroughs_frame, read_topojson

PACKAGE = "vega-datasets@3.2.1"
MEMBER = "package/data/londonBoroughs.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
        tarball = next(Path(tmp).glob("vega-datasets-*.tgz"))
        with tarfile.open(tarball) as archive:
            topology = archive.extractfile(MEMBER).read()
    outlines = read_topojson(topology, "boroughs")
    frame = boroughs_frame(list(zip(outlines["id"], outlines.geometry, strict=True)))
    BOROUGHS_PARQUET.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(BOROUGHS_PARQUET, index=False)
    print(f"Wrote {len(frame)} boroughs to {BOROUGHS_PARQUET} ({BOROUGHS_PARQUET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
