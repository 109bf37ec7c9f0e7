"""Progress bars for long pipeline steps.

On a terminal a finished bar is cleared, keeping the screen tidy. Written to a log (stderr
redirected to a file) a bar is kept, so its last line says it reached 100%; a cleared bar
would leave its last partial update (say 93%) as the final word in the log.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress_bar(items: Iterable[T], *, desc: str, unit: str, enabled: bool = True) -> Iterable[T]:
    on_terminal = sys.stderr.isatty()
    return tqdm(items, desc=desc, unit=unit, disable=not enabled, leave=not on_terminal, file=sys.stderr)
