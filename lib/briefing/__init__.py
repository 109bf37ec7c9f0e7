"""Borough briefing packs: a PDF (and an HTML version) for one borough and period, made from
the same functions as the dashboard's pages so the figures in the pack and on screen agree.

Streamlit-free: the command (`python -m lib.briefing`) and the Overview's download button
both call `Briefer`. One `Briefer` per store reuses London-wide work across packs.

    briefer = Briefer(store)
    borough, period = briefer.request("Lambeth", "2024-03", "2025-02")
    pdf = briefer.pdf(borough, period)
"""

from __future__ import annotations

import difflib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from lib.boroughs import BOROUGHS, resolve_borough
from lib.briefing.context import Context
from lib.briefing.model import Pack
from lib.briefing.pack import build_pack
from lib.briefing.typeset import project_files, to_html, to_pdf
from lib.filters import Filters, Period, quoted
from lib.months import label as month_label
from lib.months import parse as parse_month
from lib.months import shift as add_months
from lib.queries.common import month_range
from lib.store import Store


class BriefingError(ValueError):
    """Bad input to a briefing (unknown borough, period outside the snapshot, output path
    that cannot be written): the message is one sentence for the user."""


class Briefer:
    """Makes packs from one store, reusing London-wide queries and tables between packs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict = {}

    def store_months(self) -> tuple[date, date]:
        """First and last month the snapshot holds (recorded crime and stop and search)."""
        key = (self.store.snapshot_id, "month_range")
        if key not in self.cache:
            self.cache[key] = month_range(self.store)
        return self.cache[key]

    def request(self, borough: str, start: str | None = None, end: str | None = None) -> tuple[str, Period]:
        """The borough's GSS code and the period, from the text a user gave; BriefingError
        with one sentence when either is not usable. Months default to the latest 12 the
        snapshot holds, as on the dashboard."""
        code = borough_code(borough)
        first, last = self.store_months()
        default = Filters.default(first, last).period
        begin = _month(start, "--from") if start else None
        finish = _month(end, "--to") if end else None
        if begin is None and finish is None:
            period = default
        elif begin is None:
            period = Period(max(first, add_months(finish, 1 - default.months)), finish)
        elif finish is None:
            period = Period(begin, last)
        else:
            period = Period(begin, finish)
        if period.start > period.end:
            raise BriefingError(
                f"The period runs backwards ({month_label(period.start)} is after {month_label(period.end)}): "
                "give the earlier month as --from."
            )
        if period.start < first or period.end > last:
            raise BriefingError(
                f"This snapshot covers {month_label(first)} to {month_label(last)}: choose a period inside it "
                f"(you asked for {month_label(period.start)} to {month_label(period.end)})."
            )
        return code, period

    def pack(self, borough: str, period: Period, *, generated: datetime | None = None) -> Pack:
        return build_pack(Context(self.store, borough, period, self.cache), generated=generated)

    def pdf(self, borough: str, period: Period, *, generated: datetime | None = None) -> bytes:
        return to_pdf(self.pack(borough, period, generated=generated), timestamp=generated)

    def html(self, borough: str, period: Period, *, generated: datetime | None = None) -> bytes:
        return to_html(self.pack(borough, period, generated=generated))

    def both(self, borough: str, period: Period, *, generated: datetime | None = None) -> tuple[bytes, bytes]:
        """PDF and HTML of the same pack (charts rendered once)."""
        pack = self.pack(borough, period, generated=generated)
        files = project_files(pack)
        return to_pdf(pack, files=files, timestamp=generated), to_html(pack, files=files)


def borough_code(text: str) -> str:
    """The GSS code of a borough named by name or code (as in links); BriefingError otherwise."""
    found = resolve_borough(text)
    if found is not None:
        return found.gss_code
    names = [b.name for b in BOROUGHS]
    guess = difflib.get_close_matches(str(text).strip().title(), names, n=1, cutoff=0.6)
    hint = f" Did you mean {guess[0]}?" if guess else " Give a borough's name (for example Lambeth) or GSS code."
    raise BriefingError(f"There is no London borough called '{quoted(text)}'.{hint}")


def file_stem(borough: str, period: Period) -> str:
    """'briefing-lambeth-2024-03-to-2025-02'."""
    name = next(b.name for b in BOROUGHS if b.gss_code == borough)
    slug = "-".join(name.lower().replace("&", "and").split())
    return f"briefing-{slug}-{period.start:%Y-%m}-to-{period.end:%Y-%m}"


def _month(text: str, option: str) -> date:
    month = parse_month(text)
    if month is None:
        raise BriefingError(f"{option} '{quoted(text)}' is not a month in the form YYYY-MM (for example 2024-03).")
    return month


class AtomicFile:
    """A file written in full or not at all: bytes go to a hidden temporary file beside the
    target, renamed over it only once complete. Opening it checks the folder is writable,
    so a bad path fails before any work is done."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        folder = self.path.parent
        if self.path.is_dir():
            raise BriefingError(f"{self.path} is a folder: give a file name to write, such as {self.path}/pack.pdf.")
        if not folder.is_dir():
            raise BriefingError(f"Cannot write {self.path}: the folder {folder} does not exist.")
        try:
            handle, name = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
        except OSError as error:
            raise BriefingError(f"Cannot write {self.path}: {error.strerror or error}.") from error
        os.close(handle)
        self.temp = Path(name)

    def commit(self, data: bytes) -> None:
        try:
            self.temp.write_bytes(data)
            os.chmod(self.temp, 0o644)
            os.replace(self.temp, self.path)
        except OSError as error:
            self.discard()
            raise BriefingError(f"Cannot write {self.path}: {error.strerror or error}.") from error

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)


__all__ = ["AtomicFile", "Briefer", "BriefingError", "borough_code", "file_stem"]
