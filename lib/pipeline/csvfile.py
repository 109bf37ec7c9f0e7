"""Reading publishers' CSV files defensively: every problem a downloaded file can have
(empty, binary, wrong encoding, truncated, ragged rows, missing columns) becomes a
`SourceError` sentence naming the file and, where it applies, the row and column.

Rows are numbered as a text editor shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lib.contract import TEXT
from lib.pipeline.errors import SourceError


@dataclass(frozen=True)
class SourceFile:
    """One input file as found in the source folder.

    `path` is where it can be read on disk (zip members are extracted to a scratch folder);
    `display` is how the user knows it: relative to the source folder, with zip members
    shown as `archive.zip/member.csv`.
    """

    path: Path
    display: str
    sha256: str

    @property
    def name(self) -> str:
        return self.display.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class CsvTable:
    """A parsed CSV: string cells (empty string for a blank cell) and each row's line number."""

    header: list[str]
    frame: pd.DataFrame
    lines: np.ndarray  # physical line number of each data row (header = 1)
    rows_skipped: int = 0  # rows left out by read_csv's `keep` (checked, not kept)

    def line_of(self, position: int) -> int:
        return int(self.lines[position])


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls > max(2, len(sample) // 50)


def decode_text(source: SourceFile) -> str:
    """The file's text (UTF-8, BOM removed), or a SourceError saying why it cannot be read."""
    raw = source.path.read_bytes()
    if not raw.strip():
        raise SourceError(source.display, "the file is empty; download it again")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(source.display, "the file is saved as UTF-16 text; save it as UTF-8 CSV or download it again")
    if raw.startswith(b"PK\x03\x04"):
        raise SourceError(source.display, "the file is a zip archive with a .csv name; download it again")
    if _looks_binary(raw[:8192]):
        raise SourceError(source.display, "the file holds binary data, not CSV text; download it again")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            source.display,
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 text (the file may be saved as Windows-1252); "
            "save it as UTF-8 CSV or download it again",
            row=line,
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """',' or ';' (MOPAC's London-wide table is semicolon-separated), from the header line."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


RowFilter = Callable[[list[str]], Callable[[list[str]], bool]]


def read_csv(source: SourceFile, *, delimiter: str | None = None, keep: RowFilter | None = None) -> CsvTable:
    """Parse a whole CSV file into strings, checking that every row has the header's width.

    A last row that is short and has no line end means the download stopped part-way.
    `keep(header)` may return a test for each row: rows failing it are checked but not kept
    (so a large file's unwanted rows never become a DataFrame); they are counted in
    `rows_skipped`.
    """
    text = decode_text(source)
    first_line = text.split("\n", 1)[0]
    delimiter = delimiter or sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise SourceError(source.display, f"the header row cannot be read ({exc})", row=1) from None
    header = [name.strip() or f"_unnamed_{i}" for i, name in enumerate(header)]
    width = len(header)
    keep_row = keep(header) if keep is not None else None
    skipped = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    ends_cleanly = text.endswith(("\n", "\r"))
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                at_end = reader.line_num == _line_count(text)
                if len(row) < width and at_end and not ends_cleanly:
                    raise SourceError(
                        source.display,
                        "the file stops part-way through this row (it looks truncated); download it again",
                        row=reader.line_num,
                    )
                raise SourceError(
                    source.display,
                    f"this row has {len(row)} values but the header has {width}",
                    row=reader.line_num,
                )
            if keep_row is not None and not keep_row(row):
                skipped += 1
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise SourceError(
            source.display,
            f"the CSV cannot be parsed here ({exc}); the file may be truncated or damaged",
            row=reader.line_num,
        ) from None
    if not rows and not skipped:
        raise SourceError(source.display, "the file has a header but no data rows")
    frame = pd.DataFrame(rows, columns=header, dtype=TEXT) if rows else pd.DataFrame(columns=header, dtype=TEXT)
    return CsvTable(header=header, frame=frame, lines=np.asarray(lines, dtype=np.int64), rows_skipped=skipped)


def _line_count(text: str) -> int:
    stripped = text.rstrip("\r\n")
    return stripped.count("\n") + 1


def missing_columns(source: SourceFile, missing: Iterable[str], what: str) -> SourceError:
    """The sentence for a header that lacks expected columns, naming every one of them."""
    names = [f"'{column}'" for column in missing]
    if len(names) == 1:
        listed = f"the column {names[0]} is"
    else:
        listed = f"the columns {', '.join(names[:-1])} and {names[-1]} are"
    return SourceError(source.display, f"{listed} missing, so this is not a complete {what}")


def require_columns(source: SourceFile, header: Iterable[str], required: Iterable[str], what: str) -> None:
    """SourceError naming every expected column the header lacks."""
    present = set(header)
    missing = [column for column in required if column not in present]
    if missing:
        raise missing_columns(source, missing, f"{what} file")


def parse_number_column(
    source: SourceFile,
    table: CsvTable,
    column: str,
    *,
    decimal_comma: bool = False,
    allow_blank: bool = True,
) -> pd.Series:
    """Floats from a text column (NaN for blanks); a non-number is a SourceError at its row."""
    text = table.frame[column].str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = values.isna() & (text != "")
    if not allow_blank:
        bad |= text == ""
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        shown = table.frame[column].iloc[position]
        raise SourceError(
            source.display,
            f"'{shown}' is not a number" if shown.strip() else "the value is blank",
            row=table.line_of(position),
            column=column,
        )
    return values.astype("float64")


def first_bad_row(mask: pd.Series | np.ndarray) -> int | None:
    """Position of the first True in a boolean mask, or None."""
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return int(hits[0]) if len(hits) else None
