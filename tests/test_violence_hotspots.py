"""Getis-Ord Gi* and its neighbour weights, against cases worked out by hand."""

from __future__ import annotations

import math

import h3
import numpy as np
import pytest
from shapely.geometry import box

from lib.metrics.hotspots import (
    HOT_95,
    HOT_99,
    NOT_SIGNIFICANT,
    getis_ord_gi_star,
    h3_neighbour_weights,
    hotspot_class,
    hotspots_expected_by_chance,
    nearest_points,
    polygon_neighbour_weights,
    weights_from_pairs,
)

BRIXTON = h3.latlng_to_cell(51.4627, -0.1145, 8)


def test_gi_star_on_a_line_of_five_cells():
    # Cells 0-4 in a row, neighbours left and right, counts 0 0 10 0 0.
    # n = 5, mean = 2, S = sqrt(100/5 - 2²) = 4.
    # Cell 0: Σw = 2 (itself, cell 1), Σwx = 0 -> (0 - 2·2) / (4·sqrt((5·2 - 4)/4)) = -4/4.899 = -0.8165
    # Cell 1: Σw = 3, Σwx = 10 -> (10 - 2·3) / (4·sqrt((5·3 - 9)/4)) = 4/4.899 = +0.8165
    weights = weights_from_pairs(5, [0, 1, 2, 3], [1, 2, 3, 4])
    z = getis_ord_gi_star([0, 0, 10, 0, 0], weights)
    expected = [-0.816497, 0.816497, 0.816497, 0.816497, -0.816497]
    assert z == pytest.approx(expected, abs=1e-6)


def test_gi_star_on_an_h3_disk_finds_the_known_hot_cell():
    # 19 cells: a centre, its ring of 6 and the ring of 12 around that. Counts: centre and
    # ring 1 hold 10 each, ring 2 none. n = 19, Σx = 70, Σx² = 700, mean = 70/19,
    # S² = 700/19 - (70/19)² = 8400/361.
    # Centre: Σw = 7, Σwx = 70 -> numerator 70 - 7·70/19 = 840/19;
    #   denominator sqrt(8400)/19 · sqrt((19·7 - 49)/18) -> z = 840 / sqrt(8400·84/18) = 3·sqrt(2) = 4.2426
    # Ring-1 cell: Σw = 7, Σwx = 10+10+2·10 = 40 -> z = 270 / sqrt(39200) = 1.3637
    # Ring-2 'corner' cell (touches one ring-1 cell): Σw = 4, Σwx = 10 -> z = -90 / sqrt(8400·60/18) = -0.5379
    # Ring-2 'edge' cell (touches two): Σw = 5, Σwx = 20 -> z = 30 / sqrt(8400·70/18) = 0.1660
    rings = h3.grid_ring(BRIXTON, 1), h3.grid_ring(BRIXTON, 2)
    cells = [BRIXTON, *rings[0], *rings[1]]
    counts = [10] * 7 + [0] * 12
    z = dict(zip(cells, getis_ord_gi_star(counts, h3_neighbour_weights(cells)), strict=True))
    assert z[BRIXTON] == pytest.approx(3 * math.sqrt(2), abs=1e-9)
    assert all(z[c] == pytest.approx(1.363706, abs=1e-6) for c in rings[0])
    ring1 = set(rings[0])
    for cell in rings[1]:
        touching = len(ring1 & set(h3.grid_disk(cell, 1)))
        assert z[cell] == pytest.approx({1: -0.537853, 2: 0.165985}[touching], abs=1e-6)
    assert list(hotspot_class([z[BRIXTON], z[rings[0][0]]])) == [HOT_99, NOT_SIGNIFICANT]


def test_h3_weights_include_the_cell_itself_and_only_study_cells():
    cells = [BRIXTON, *h3.grid_ring(BRIXTON, 1)]
    weights = h3_neighbour_weights(cells).toarray()
    assert weights.diagonal().tolist() == [1.0] * 7
    assert weights[0].sum() == 7  # the centre touches all six
    assert weights[1].sum() == 4  # a ring cell: itself, the centre and two ring neighbours
    assert (weights == weights.T).all()


def test_gi_star_is_zero_when_nothing_stands_out():
    weights = weights_from_pairs(3, [0, 1], [1, 2])
    assert getis_ord_gi_star([4, 4, 4], weights).tolist() == [0.0, 0.0, 0.0]
    assert getis_ord_gi_star([0, 0, 0], weights).tolist() == [0.0, 0.0, 0.0]
    assert getis_ord_gi_star([5], weights_from_pairs(1, [], [])).tolist() == [0.0]


def test_gi_star_is_zero_where_a_neighbourhood_is_the_whole_area():
    # Three cells all touching: every neighbourhood is everything, so no variance to test.
    weights = weights_from_pairs(3, [0, 0, 1], [1, 2, 2])
    assert getis_ord_gi_star([0, 1, 9], weights).tolist() == [0.0, 0.0, 0.0]


def test_weights_are_binary_even_with_repeated_pairs():
    weights = weights_from_pairs(2, [0, 1, 0], [1, 0, 1]).toarray()
    assert weights.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_queen_weights_for_polygons():
    # Three unit squares in a row share edges 0-1 and 1-2; a 2x2 block touches at corners too.
    row = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]
    assert polygon_neighbour_weights(row).toarray().tolist() == [[1, 1, 0], [1, 1, 1], [0, 1, 1]]
    block = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)]
    assert polygon_neighbour_weights(block).toarray().sum() == 16


@pytest.mark.parametrize(
    ("z", "expected"),
    [(-3.0, NOT_SIGNIFICANT), (1.95, NOT_SIGNIFICANT), (1.96, HOT_95), (2.57, HOT_95), (2.58, HOT_99), (9, HOT_99)],
)
def test_hotspot_class_thresholds(z, expected):
    assert hotspot_class([z])[0] == expected


def test_hotspots_expected_by_chance():
    assert hotspots_expected_by_chance(2_000) == 50  # 2,000 × 2.5%
    assert hotspots_expected_by_chance(0) == 0


def test_nearest_points():
    # One degree of latitude = 6371 km × π/180 = 111.19 km; the second point sits on target 1.
    index, km = nearest_points([52.5, 51.5], [0.0, -0.1], [51.5, 51.5], [0.0, -0.1])
    assert index.tolist() == [0, 1]
    assert km == pytest.approx([111.19, 0.0], abs=0.01)


def test_gi_star_is_fast_enough_for_london():
    cells = list(h3.grid_disk(BRIXTON, 28))  # 2,437 cells, about the size of London at res 8
    weights = h3_neighbour_weights(cells)
    counts = np.random.default_rng(1).poisson(5, len(cells))
    z = getis_ord_gi_star(counts, weights)
    assert z.shape == (len(cells),) and np.isfinite(z).all()
