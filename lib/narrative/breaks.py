"""The warning a change sentence carries when its comparison may be an artefact of recording
(`lib.metrics.breaks.Comparability`)."""

from __future__ import annotations

from lib.metrics.breaks import Comparability


def _points(value: float) -> str:
    return f"{value * 100:.1f}%"


def break_warning(check: Comparability | None, *, publisher: str = "the Met") -> str | None:
    """'Take care: …' naming each straddled break (what changed and when) and an unallocated
    shift larger than the change's margin of error; None when neither applies."""
    if check is None or not check.warn:
        return None
    parts = []
    for item in check.breaks:
        parts.append(
            f"the comparison spans a change in recording on {item.date_text} "
            f"({item.what_changed[0].lower()}{item.what_changed[1:]})"
        )
    if check.shift_exceeds_margin:
        shift = check.shift
        moved = "fell" if shift.points < 0 else "rose"
        parts.append(
            f"the share of {publisher}'s records it could not place in a borough {moved} from "
            f"{_points(shift.earlier)} to {_points(shift.current)}, more than this change's own margin of "
            f"error (±{check.margin:.1f}%)"
        )
    text = " and ".join(parts)
    return f"Take care: {text}, so part of the change may come from how crimes were recorded, not from crime."
