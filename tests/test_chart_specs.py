"""Every chart builder's output, as the pages draw it, is a valid Vega-Lite spec.

Each builder runs on figures computed from the small demo snapshot the way its page computes
them; the screen spec (shared styling merged in, as `ui` draws it) is checked against the
Vega-Lite JSON schema Altair ships. A completeness test keeps the list in step with
lib/charts: a new builder without a case here fails.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import jsonschema
import pandas as pd
import pytest

from lib import months
from lib.boroughs import BOROUGHS
from lib.breaks import breaks_for
from lib.charts import common, harm, stop_search, trust, vegalite, violence
from lib.charts.common import screen_spec
from lib.charts.vegalite import Spec, check_spec
from lib.colour import quantile_scale
from lib.contract import open_snapshot
from lib.filters import Period
from lib.metrics import harm as hm
from lib.metrics import stop_search as sm
from lib.metrics import survey
from lib.metrics import violence as vm
from lib.metrics.counts import crime_figures
from lib.narrative import stop_search as say
from lib.queries import harm as hq
from lib.queries import stop_search as sq
from lib.queries import trust as tq
from lib.queries import violence as vq
from lib.queries.common import held_months, month_range, populations
from lib.store import Store
from lib.vocab import SELF_DEFINED

LAMBETH = "E09000022"
MODULES = (common, harm, stop_search, trust, violence)


@pytest.fixture(scope="module")
def store(small_snapshot) -> Store:
    store = Store(open_snapshot(small_snapshot))
    yield store
    store.close()


def _period(store: Store) -> Period:
    _, last = month_range(store)
    return Period(months.shift(last, -11), last)  # the latest 12 months


def _stop_search(store: Store) -> dict:
    period = _period(store)
    span = {"start": period.start, "end": period.end}
    cube = sq.search_cube(store, definition=SELF_DEFINED, **span)
    residents = populations(store)
    local = sm.disparity_table(cube, residents, area=LAMBETH, definition=SELF_DEFINED, months=12)
    children = sm.children_by_group(cube, area=LAMBETH, definition=SELF_DEFINED)
    boroughs = say.with_labels(
        sm.borough_disparity(cube, residents, group="Black", definition=SELF_DEFINED, months=12), "Black"
    )
    volume = sq.monthly_volume(store, **span)
    return {
        "local": local,
        "outcomes": sm.outcome_rates(cube, area=LAMBETH, definition=SELF_DEFINED),
        "children": children.assign(label=[say.count_label(n) for n in children["under_18"]]),
        "boroughs": boroughs,
        "monthly": sm.monthly_breakdown(
            volume, area=LAMBETH, by="legislation", months=months.span(span["start"], span["end"])
        ),
    }


def _violence(store: Store) -> dict:
    period = _period(store)
    group = vq.offence_groups(store)[0]
    monthly = vq.category_monthly_counts(store, major=group.major, minor=group.minor)
    residents = populations(store).set_index("gss_code")["All"]
    table = crime_figures(monthly, residents, held_months(store, table="crime_monthly"), period).table
    trend = vm.monthly_trend(monthly[monthly["gss_code"] == LAMBETH], residents[LAMBETH], vm.RATE)
    return {"period": period, "table": table, "trend": trend}


def _harm(store: Store) -> dict:
    period = _period(store)
    monthly = hq.monthly_counts(store, group="Domestic Abuse", subgroup="Domestic Abuse")
    residents = populations(store).set_index("gss_code")["All"]
    return {
        "period": period,
        "table": hm.harm_period(monthly, residents, period).table,
        "trend": hm.offence_trend(hm.area_rows(monthly, LAMBETH), float(residents[LAMBETH]), hm.RATE),
        "outcomes": hm.outcome_trend(hm.area_rows(monthly, LAMBETH)),
        "breaks": breaks_for("harm_monthly"),
    }


def _trust(store: Store) -> dict:
    values = survey.with_intervals(tq.area_values(store, measure="trust"))
    latest = values["period_end"].max()
    changes = survey.area_changes(values, latest)
    groups = survey.with_intervals(tq.group_values(store, measure="trust", group_type="ethnicity"))
    gaps = survey.gap_series(groups, "Black", "White")
    tiles = trust.change_tile_table(trust.borough_table(changes))
    return {"values": values, "latest": latest, "changes": changes, "groups": groups, "gaps": gaps, "tiles": tiles}


def _tile_places() -> pd.DataFrame:
    return pd.DataFrame(
        [{"gss_code": b.gss_code, "short": b.short, "tile_col": b.tile_col, "tile_row": b.tile_row} for b in BOROUGHS]
    )


# name -> (input maker, builder call): every public function in lib/charts that returns a chart.
CASES: dict[str, tuple[Callable[[Store], dict], Callable[[dict], object]]] = {
    "common.swatch_legend": (lambda s: {}, lambda d: common.swatch_legend(["a", "b"], ["#000000", "#ffffff"], "T")),
    "common.class_legend": (
        _stop_search,
        lambda d: common.class_legend(quantile_scale(d["boroughs"]["ratio"]), "Ratio", no_data_label="fewer than 10"),
    ),
    "common.borough_tiles": (
        _stop_search,
        lambda d: common.borough_tiles(
            d["boroughs"].merge(_tile_places(), on="gss_code"),
            value_column="ratio",
            scale=quantile_scale(d["boroughs"]["ratio"]),
            label_column="label",
            tooltip=["name:N", "tooltip:N"],
            title="Black/White rate ratio",
            selected=LAMBETH,
        ),
    ),
    "stop_search.volume_chart": (_stop_search, lambda d: stop_search.volume_chart(d["monthly"], title="Volume")),
    "stop_search.rate_chart": (_stop_search, lambda d: stop_search.rate_chart(d["local"], title="Rates")),
    "stop_search.ratio_chart": (_stop_search, lambda d: stop_search.ratio_chart(d["local"], title="Ratios")),
    "stop_search.outcome_chart": (_stop_search, lambda d: stop_search.outcome_chart(d["outcomes"], title="Outcomes")),
    "stop_search.children_chart": (_stop_search, lambda d: stop_search.children_chart(d["children"], title="Kids")),
    "violence.borough_tile_chart": (
        _violence,
        lambda d: violence.borough_tile_chart(
            d["table"], value_column="rate", scale=quantile_scale(d["table"]["rate"]), title="Rate", selected=LAMBETH
        ),
    ),
    "violence.trend_chart": (
        _violence,
        lambda d: violence.trend_chart(d["trend"], title="Trend", y_title="Per 1,000", period=d["period"]),
    ),
    "violence.hotspot_legend": (lambda s: {}, lambda d: violence.hotspot_legend()),
    "harm.trend_chart": (
        _harm,
        lambda d: harm.trend_chart(d["trend"], title="T", y_title="Per 1,000", period=d["period"], breaks=d["breaks"]),
    ),
    "harm.outcome_rate_chart": (
        _harm,
        lambda d: harm.outcome_rate_chart(d["outcomes"], title="Outcomes", period=d["period"], breaks=d["breaks"]),
    ),
    "harm.outcome_ranking_chart": (
        _harm,
        lambda d: harm.outcome_ranking_chart(d["table"], london_rate=0.1, title="Outcome rates", selected=LAMBETH),
    ),
    "trust.trend_chart": (
        _trust,
        lambda d: trust.trend_chart(
            trust.trend_table(d["values"], [LAMBETH, None], d["latest"]), title="Trust", banded=["Lambeth", "London"]
        ),
    ),
    "trust.borough_dot_chart": (
        _trust,
        lambda d: trust.borough_dot_chart(trust.borough_table(d["changes"]), london=0.7, selected=LAMBETH, title="t"),
    ),
    "trust.change_tiles": (
        _trust,
        lambda d: trust.change_tiles(d["tiles"], scale=trust.change_scale(d["tiles"]), selected=LAMBETH, title="t"),
    ),
    "trust.change_legend": (_trust, lambda d: trust.change_legend(trust.change_scale(d["tiles"]))),
    "trust.group_chart": (
        _trust,
        lambda d: trust.group_chart(trust.group_table(d["groups"], ["Black", "White"], d["latest"]), title="g"),
    ),
    "trust.gap_chart": (
        _trust,
        lambda d: trust.gap_chart(trust.gap_table(d["gaps"], "Black", "White", d["latest"]), title="gap"),
    ),
}


def _drawn(chart: object) -> dict:
    """The spec as the page draws it: the screen spec `ui.draw` sends to the browser."""
    return screen_spec(chart)


@pytest.mark.parametrize("name", sorted(CASES))
def test_builder_output_is_valid_vega_lite(name, store):
    make, build = CASES[name]
    spec = _drawn(build(make(store)))
    check_spec(spec)  # raises jsonschema.ValidationError naming the offending part
    datasets = spec.get("datasets", {})
    assert datasets and all(isinstance(rows, list) for rows in datasets.values())
    assert any(rows for rows in datasets.values()), "a chart with no data shows nothing"


def test_every_chart_builder_has_a_case():
    builders = set()
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            returns = str(inspect.signature(function).return_annotation)
            if any(kind in returns for kind in ("Chart", "Spec")):
                builders.add(f"{module.__name__.removeprefix('lib.charts.')}.{name}")
    assert builders == set(CASES)


def test_spec_validation_is_real():
    """`Spec.to_dict()` validates as Altair's does, and `validate=False` skips it."""
    bad = Spec({"mark": "pointy", "data": {"values": []}})
    with pytest.raises(jsonschema.ValidationError):
        bad.to_dict()
    assert bad.to_dict(validate=False) == {"mark": "pointy", "data": {"values": []}}
    good = vegalite.layered([{"x": 1}], [{"mark": "point", "encoding": {"x": {"field": "x"}}}], title="t", height=10)
    assert good.to_dict()["datasets"]["main"] == [{"x": 1}]
    with pytest.raises(jsonschema.ValidationError):
        vegalite.layered([], [{"mark": {"type": "line", "strokeWidth": "thick"}}], title="t", height=10).to_dict()
