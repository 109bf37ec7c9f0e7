"""Errors the pipeline reports to a user as one sentence, never as a traceback."""

from __future__ import annotations


class BuildError(Exception):
    """A build that cannot go on; `str(error)` is a sentence that says what to do."""


class SourceError(BuildError):
    """A problem in one source file, located by row (1 = header line) and column where known.

    `str()` reads as one sentence, e.g. "In 2024-01-metropolitan-stop-and-search.csv, row 12,
    column 'Date': 'yesterday' is not a date and time."
    """

    def __init__(self, file: str, problem: str, *, row: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.problem = problem.rstrip(".")
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"In {self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.problem}."
