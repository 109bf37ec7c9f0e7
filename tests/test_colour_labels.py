"""Legend labels of a class scale stay distinct, so each colour keeps its own label."""

from __future__ import annotations

from lib.charts.common import class_legend
from lib.colour import NO_DATA, ClassScale, quantile_scale


def test_small_breaks_get_enough_decimals_to_differ():
    scale = ClassScale((0.06, 0.08, 0.1, 0.12, 0.14), ("a", "b", "c", "d", "e", "f"))
    assert scale.labels("{:,.1f}") == [
        "under 0.06",
        "0.06 to 0.08",
        "0.08 to 0.10",
        "0.10 to 0.12",
        "0.12 to 0.14",
        "0.14 and over",
    ]


def test_labels_that_already_differ_keep_their_format():
    assert ClassScale((5.0, 10.0), ("a", "b", "c")).labels("{:,.1f}") == ["under 5.0", "5.0 to 10.0", "10.0 and over"]


def test_no_data_swatch_keeps_its_grey_when_rates_are_small():
    scale = quantile_scale([0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16])
    spec = class_legend(scale, "Offences per 1,000", no_data_label="no figure").to_dict()
    colour_scale = next(
        enc["scale"] for enc in _encodings(spec) if isinstance(enc, dict) and "scale" in enc and "range" in enc["scale"]
    )
    domain, colours = colour_scale["domain"], colour_scale["range"]
    assert len(set(domain)) == len(domain) == len(colours)
    assert colours[domain.index("no figure")] == NO_DATA


def _encodings(spec: dict):
    yield from spec.get("encoding", {}).values()
    for layer in spec.get("layer", []):
        yield from _encodings(layer)
