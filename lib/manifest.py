"""Readable views of a snapshot's manifest, for the About page."""

from __future__ import annotations

import pandas as pd

from lib.contract import TABLES


def _reasons(counts: object) -> str:
    if not isinstance(counts, dict) or not counts:
        return ""
    return "; ".join(f"{reason}: {int(n):,}" for reason, n in counts.items() if n)


def source_files(manifest: dict) -> pd.DataFrame:
    """One row per source file: source, publisher, licence, file, rows read, rows dropped
    (total and by reason) and rows kept but flagged (for example, no location)."""
    rows = []
    for source in manifest.get("sources", []) or []:
        files = source.get("files") or [{}]
        for item in files:
            dropped = item.get("rows_dropped") or {}
            rows.append(
                {
                    "Source": source.get("name", ""),
                    "Publisher": source.get("publisher", ""),
                    "Licence": source.get("licence", ""),
                    "URL": source.get("url", ""),
                    "File": item.get("path", ""),
                    "Rows read": item.get("rows_read"),
                    "Rows dropped": sum(int(n) for n in dropped.values()) if isinstance(dropped, dict) else None,
                    "Why dropped": _reasons(dropped),
                    "Kept but flagged": _reasons(item.get("rows_flagged")),
                    "SHA-256": (item.get("sha256") or "")[:12],
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "Source",
            "Publisher",
            "Licence",
            "URL",
            "File",
            "Rows read",
            "Rows dropped",
            "Why dropped",
            "Kept but flagged",
            "SHA-256",
        ],
    )
    for column in ("Rows read", "Rows dropped"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def table_rows(manifest: dict) -> pd.DataFrame:
    """One row per table in the snapshot: name, what it holds, rows."""
    rows = [
        {
            "Table": name,
            "Holds": TABLES[name].description if name in TABLES else "",
            "Rows": int(info.get("rows", 0)),
        }
        for name, info in (manifest.get("tables") or {}).items()
    ]
    return pd.DataFrame(rows, columns=["Table", "Holds", "Rows"])


def built_at(manifest: dict) -> str:
    """'21 November 2026, 01:01 UTC' from the manifest's ISO timestamp."""
    try:
        stamp = pd.Timestamp(manifest["created_at"])
    except (KeyError, ValueError, TypeError):
        return "at an unknown time"
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return f"{stamp.day} {stamp:%B %Y, %H:%M} UTC"
