"""The borough briefing pack: the same figures as the pages, a tagged PDF with alt text, an
HTML version from the same template, and a command that refuses bad input cleanly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from lib import months
from lib.briefing import Briefer, BriefingError, borough_code
from lib.briefing import __main__ as cli
from lib.briefing.context import Context
from lib.briefing.model import Paragraph, Section, missing_section
from lib.briefing.pack import build_pack
from lib.briefing.render import print_spec
from lib.briefing.topics import _REGISTRY, topic, topics
from lib.contract import open_snapshot
from lib.filters import Filters, Period
from lib.metrics import stop_search as ssm
from lib.metrics import survey
from lib.metrics.counts import crime_figures
from lib.metrics.ranking import rank_range
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.narrative.methods import rules
from lib.queries import stop_search as ssq
from lib.queries import violence as vq
from lib.queries.common import held_months, month_range, months_with_data, populations
from lib.queries.trust import area_values
from lib.store import Store
from tests.apptest import run_page, texts

ROOT = Path(__file__).resolve().parent.parent
LAMBETH = "E09000022"
GENERATED = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space (PDF lines break anywhere)."""
    return " ".join(text.split())


FOOTER = re.compile(
    r"(DEMO DATA, not real figures · )?[^·]{1,40} · [^·]+ · snapshot \S+ · made \d+ \w+ \d{4} Page \d+ of \d+"
)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, footers taken out (a sentence may run on past one)."""
    return FOOTER.sub("", flat(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))).replace(
        "  ", " "
    )


@pytest.fixture(scope="module")
def store(small_snapshot) -> Store:
    return Store(open_snapshot(small_snapshot))


@pytest.fixture(scope="module")
def briefer(store) -> Briefer:
    return Briefer(store)


@pytest.fixture(scope="module")
def period(store) -> Period:
    first, last = month_range(store)
    return Filters.default(first, last).period


@pytest.fixture(scope="module")
def lambeth_pdf(briefer, period) -> bytes:
    return briefer.pdf(LAMBETH, period, generated=GENERATED)


@pytest.fixture(scope="module")
def lambeth_text(lambeth_pdf) -> str:
    return pdf_text(lambeth_pdf)


# --- The same figures as the pages ------------------------------------------------------------


def test_violence_figures_are_the_metric_functions(store, period, lambeth_text):
    monthly = vq.category_monthly_counts(store, major="Violence Against the Person")
    residents = populations(store).set_index("gss_code")["All"]
    figures = crime_figures(monthly, residents, held_months(store, table="crime_monthly"), period)
    lambeth, london = figures.figure(LAMBETH), figures.figure(None)
    assert lambeth.count > 100  # a real figure, not an empty pack
    for figure in (lambeth, london):
        assert f"{count_text(figure.count)} offences" in lambeth_text
        assert f"{rate_text(figure.rate)} per 1,000 residents a year" in lambeth_text
    place = rank_range(figures.table, LAMBETH, value="rate", low="rate_low", high="rate_high", reliable="rate_reliable")
    assert re.search(
        rf"Lambeth has the {place.rank}\w\w highest rate of violence against the person of {place.of} boroughs",
        lambeth_text,
    )


def test_stop_search_figures_are_the_metric_functions(store, period, lambeth_text):
    cube = ssq.search_cube(store, start=period.start, end=period.end)
    months = len(months_with_data(store, table="stop_search", start=period.start, end=period.end))
    people = populations(store)
    for area in (LAMBETH, None):
        row = ssm.group_row(ssm.disparity_table(cube, people, area=area, definition="self", months=months), "Black")
        assert row["ratio"] > 0
        who = "Black Londoners" if area is None else "Black people"
        expected = (
            f"{who} were searched at {ratio_text(row['ratio'])} times the rate of "
            f"{'White Londoners' if area is None else 'White people'} (95% interval {ratio_text(row['ratio_low'])} "
            f"to {ratio_text(row['ratio_high'])})"
        )
        assert expected in lambeth_text, expected


def test_trust_figures_are_the_metric_functions(store, period, lambeth_text):
    values = survey.with_intervals(area_values(store, measure="trust"))
    latest = survey.latest_period_end(values["period_end"].unique(), period.end)
    changes = survey.area_changes(values, latest)
    for area, who in ((LAMBETH, "people in Lambeth"), (None, "Londoners")):
        figure = survey.area_figure(changes, area)
        expected = (
            f"{percent_text(figure.proportion)} of {who} trust the Met (95% interval {percent_text(figure.low)} "
            f"to {percent_text(figure.high)}"
        )
        assert expected in lambeth_text, expected


def _page_sentences(page: str, query: dict[str, str]) -> list[str]:
    """The large finding sentences a page shows (ui.sentence: markdown '#### …')."""
    at = run_page(page, query=query)
    assert not at.exception
    found = [flat(m.value.removeprefix("#### ")) for m in at.markdown if m.value.startswith("#### ")]
    return [s for s in found if s]


@pytest.mark.parametrize(
    ("page", "must_have"),
    [
        ("pages/violence.py", "Violence against the person in Lambeth:"),
        ("pages/stop_search.py", "Stop and search in Lambeth:"),
        ("pages/harm.py", "Knife crime in Lambeth:"),
    ],
)
def test_pack_shows_the_pages_headlines(app_env, briefer, period, lambeth_text, page, must_have):
    query = {"borough": LAMBETH, "from": f"{period.start:%Y-%m}", "to": f"{period.end:%Y-%m}"}
    sentences = _page_sentences(page, query)
    assert any(must_have in s for s in sentences), sentences
    headline = next(s for s in sentences if must_have in s)
    assert headline in lambeth_text


def test_pack_shows_the_trust_pages_headline(app_env, period, lambeth_text):
    at = run_page("pages/trust.py", query={"borough": LAMBETH, "to": f"{period.end:%Y-%m}"})
    assert not at.exception
    shown = [flat(m.value) for m in at.markdown if "of people in Lambeth trust the Met" in m.value]
    assert shown and shown[0] in lambeth_text
    assert "Lambeth" in texts(at)


@pytest.mark.parametrize("months_back", [11, 2])
def test_every_overview_sentence_is_in_the_pack(app_env, briefer, period, months_back):
    """The Overview's card sentences (violence, trust, stop and search, knife crime; Lambeth
    and London) for the same filters appear word for word in the pack: one function per
    figure, for a year and for a three-month period (where the comparison rules once differed)."""
    start = months.shift(period.end, -months_back)
    query = {"borough": LAMBETH, "from": f"{start:%Y-%m}", "to": f"{period.end:%Y-%m}"}
    at = run_page("pages/overview.py", query=query)
    assert not at.exception
    sentences = [
        flat(m.value)
        for m in at.markdown
        if re.match(r"^(Violence against|In the 12 months|Stop and search in|Knife crime in|Knife injury)", m.value)
    ]
    assert len(sentences) >= 10, sentences
    text = pdf_text(briefer.pdf(LAMBETH, Period(start, period.end)))
    missing = [s for s in sentences if s not in text]
    assert not missing, missing


def test_overview_button_makes_the_pack_for_the_filters(app_env, period, monkeypatch):
    """The button hands Streamlit a function that makes the PDF when clicked; calling it
    gives the pack for the borough and period in the filters."""
    made = []
    original = MediaFileManager.add_deferred

    def capture(self, data, *args, **kwargs):
        made.append(data)
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    start, end = months.shift(period.end, -5), period.end
    at = run_page("pages/overview.py", query={"borough": "lambeth", "from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}"})
    assert not at.exception
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download briefing (PDF)"]
    assert len(buttons) == 1 and buttons[0].proto.deferred_file_id
    assert made, "the button did not defer a function"
    pdf = made[-1]()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Policing in Lambeth: briefing pack" in text
    assert f"{start:%B %Y} to {end:%B %Y} (6 months)" in text


def test_overview_for_all_london_asks_for_a_borough(app_env):
    at = run_page("pages/overview.py")
    assert not at.exception
    assert not [b for b in at.get("download_button") if b.proto.label == "Download briefing (PDF)"]
    assert "Choose a borough in the sidebar to download its briefing pack (PDF)." in texts(at)


# --- The document itself ----------------------------------------------------------------------


def test_pack_is_four_to_eight_a4_pages_with_footer_and_numbers(lambeth_pdf):
    reader = PdfReader(BytesIO(lambeth_pdf))
    assert 4 <= len(reader.pages) <= 8
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = flat(page.extract_text())
        assert f"Page {number} of {len(reader.pages)}" in text and FOOTER.search(text)
        assert "DEMO DATA" in text and "Lambeth" in text  # the footer, on a demo snapshot


def test_cover_names_borough_period_snapshot_and_date(lambeth_text, store, period):
    assert "Policing in Lambeth: briefing pack" in lambeth_text
    assert f"{period.start:%B %Y} to {period.end:%B %Y}" in lambeth_text
    assert store.snapshot_id in lambeth_text
    assert "2 January 2026, 09:30 UTC" in lambeth_text
    assert "Demo data: synthetic, not real figures" in lambeth_text


def test_sections_limits_sources_and_methods(lambeth_text, store):
    for heading in (
        "Violence",
        "Trust and confidence",
        "Stop and search",
        "Harm and justice",
        "What the data cannot tell you",
    ):
        assert heading in lambeth_text
    assert "Sources and licences" in lambeth_text and "Methods" in lambeth_text
    for rule in rules():  # the About page's rules, word for word (the bold lead becomes a term)
        body = re.sub(r"^\*\*[^*]+\.\*\* ", "", rule).replace("**", "")
        assert flat(body) in lambeth_text, body[:60]
    for source in store.snapshot.manifest["sources"]:
        assert flat(source["name"]) in lambeth_text
        assert flat(source["licence"]) in lambeth_text


def test_pdf_is_tagged_with_alt_text_for_every_chart(lambeth_pdf, briefer, period):
    reader = PdfReader(BytesIO(lambeth_pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("en")
    raw = lambeth_pdf.decode("latin-1")
    assert "pdfuaid" in raw  # PDF/UA-1 identification in the XMP metadata
    alts = set()
    _collect_alts(root["/StructTreeRoot"], alts, set())
    charts = briefer.pack(LAMBETH, period).all_charts()
    assert len(charts) >= 6
    for chart in charts:
        assert any(chart.alt[:60] in alt for alt in alts), chart.key


def _collect_alts(node, found: set, seen: set) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        if "/Alt" in node:
            found.add(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _collect_alts(kid, found, seen)


def test_html_version_comes_from_the_same_template(briefer, period, lambeth_text):
    pdf, html = briefer.both(LAMBETH, period, generated=GENERATED)
    page = html.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="en' in page
    body = flat(re.sub(r"<[^>]+>", " ", page))
    for sentence in re.findall(r"Violence against the person in Lambeth: [^.]+\.", lambeth_text)[:1]:
        assert flat(sentence) in body
    assert page.count("<img") >= 6 and page.count('alt="') >= page.count("<img")
    assert pdf_text(pdf) == lambeth_text


# --- Registry: a new topic joins through the same mechanism --------------------------------


def test_a_registered_topic_gets_its_own_section(store, period):
    @topic("zz-test", "A test topic", order=99)
    def build(ctx: Context) -> Section:
        return Section("zz-test", "A test topic", (Paragraph(f"Test figure for {ctx.borough_name}.", "headline"),))

    try:
        assert [t.key for t in topics()][-1] == "zz-test"
        pack = build_pack(Context(store, LAMBETH, period))
        assert [s.title for s in pack.sections][-1] == "A test topic"
        assert [s.key for s in pack.sections] == ["violence", "trust", "stop_search", "harm", "zz-test"]
    finally:
        _REGISTRY.pop("zz-test")


def test_a_section_without_figures_says_why_in_headline_findings_and_limits(store, period):
    why = "This snapshot holds no test figures."

    @topic("zz-test", "A test topic", order=99)
    def build(ctx: Context) -> Section:
        return missing_section("zz-test", "A test topic", why, (("Term", "Meaning"),))

    try:
        document = build_pack(Context(store, LAMBETH, period)).document()
        section = document["sections"][-1]
        assert section["blocks"] == [{"type": "paragraph", "kind": "headline", "text": why}]
        assert {"topic": "A test topic", "text": why} in document["cover"]["findings"]
        assert {"topic": "A test topic", "text": why} in document["limits"]
        assert {"term": "A test topic: Term", "text": "Meaning"} in document["methods"]
    finally:
        _REGISTRY.pop("zz-test")


# --- Printing a page's chart ------------------------------------------------------------------


def test_print_spec_fixes_width_and_fonts_without_touching_the_page_spec():
    spec = {"width": "container", "height": 300, "mark": "line", "config": {"axis": {"labelFontSize": 14}}}
    out = print_spec(spec, 330, height=190)
    assert out["width"] == 330 and out["height"] == 190
    assert out["config"]["axis"]["labelFontSize"] == 11
    assert spec["width"] == "container" and spec["config"]["axis"]["labelFontSize"] == 14
    banded = print_spec({"height": {"step": 24}, "mark": "point"}, 230, step=15)
    assert banded["height"] == {"step": 15} and banded["width"] == 230


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("Lambeth", LAMBETH), ("lambeth", LAMBETH), ("E09000022", LAMBETH), ("City of Westminster", "E09000033")],
)
def test_borough_by_name_or_code(text, code):
    assert borough_code(text) == code


def test_unknown_borough_suggests_the_nearest(briefer):
    with pytest.raises(BriefingError, match=r"no London borough called 'Lambith'\. Did you mean Lambeth"):
        briefer.request("Lambith", None, None)


def test_period_outside_the_snapshot_is_refused(briefer, store):
    first, last = month_range(store)
    with pytest.raises(BriefingError, match=f"This snapshot covers {first:%B %Y} to {last:%B %Y}"):
        briefer.request("Lambeth", "2001-01", f"{last:%Y-%m}")
    with pytest.raises(BriefingError, match="runs backwards"):
        briefer.request("Lambeth", f"{last:%Y-%m}", f"{first:%Y-%m}")
    with pytest.raises(BriefingError, match="not a month in the form YYYY-MM"):
        briefer.request("Lambeth", "2024-13", None)


def test_default_period_is_the_dashboards(briefer, store):
    first, last = month_range(store)
    assert briefer.request("Lambeth", None, None) == (LAMBETH, Filters.default(first, last).period)
    assert briefer.request("Lambeth", None, f"{last:%Y-%m}")[1].months == 12


def _cli(*args: str, snapshot: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lib.briefing", "--snapshot", str(snapshot), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--borough", "Atlantis"], "There is no London borough called 'Atlantis'"),
        (["--borough", "Lambeth", "--from", "1999-01", "--to", "1999-12"], "This snapshot covers"),
        (["--borough", "Lambeth", "--from", "March"], "is not a month in the form YYYY-MM"),
        (["--out-dir", "x"], "One of the arguments --borough --all-boroughs is required"),
    ],
)
def test_command_refuses_bad_input_in_one_sentence(small_snapshot, tmp_path, args, message):
    out = tmp_path / "pack.pdf"
    result = _cli(*args, "--out", str(out), snapshot=small_snapshot)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing-folder/pack.pdf", "a-file/pack.pdf", "read-only/pack.pdf", "."])
def test_command_refuses_an_unwritable_path(small_snapshot, tmp_path, where):
    if where.startswith("read-only") and os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "read-only").mkdir()
    (tmp_path / "read-only").chmod(0o500)
    try:
        result = _cli("--borough", "Lambeth", "--out", str(tmp_path / where), snapshot=small_snapshot)
        assert result.returncode == 1
        assert "Cannot write" in result.stderr or "is a folder" in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "read-only"]
        assert list((tmp_path / "read-only").iterdir()) == []
    finally:
        (tmp_path / "read-only").chmod(0o700)


def test_command_refuses_a_snapshot_that_is_not_one(tmp_path):
    result = _cli("--borough", "Lambeth", "--out", str(tmp_path / "p.pdf"), snapshot=tmp_path)
    assert result.returncode == 1 and "The snapshot cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_writes_a_pdf_and_leaves_no_temporary_file(small_snapshot, tmp_path):
    out = tmp_path / "lambeth.pdf"
    result = _cli("--borough", "E09000022", "--out", str(out), snapshot=small_snapshot)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["lambeth.pdf"]
    assert "Policing in Lambeth" in pdf_text(out.read_bytes())


def test_all_boroughs_writes_one_file_each_with_progress(small_snapshot, tmp_path, monkeypatch, capsys):
    from lib.boroughs import BOROUGHS

    monkeypatch.setattr(cli, "BOROUGHS", BOROUGHS[:2])  # two boroughs keep the test quick
    code = cli.main(
        ["--snapshot", str(small_snapshot), "--all-boroughs", "--out-dir", str(tmp_path / "packs"), "--html"]
    )
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "packs").iterdir())
    assert len(written) == 2 and all(name.endswith(".html") for name in written)
    assert written[0].startswith("briefing-barking-and-dagenham-")
    assert "Briefing packs" in capsys.readouterr().err  # tqdm's bar


def test_interrupted_write_leaves_nothing(small_snapshot, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Briefer, "pdf", fail)
    code = cli.main(["--snapshot", str(small_snapshot), "--borough", "Lambeth", "--out", str(tmp_path / "p.pdf")])
    assert code == 130
    assert list(tmp_path.iterdir()) == []


def test_city_of_london_pack_explains_what_it_lacks(briefer, period):
    text = pdf_text(briefer.pdf("E09000001", period))
    assert "The Public Attitude Survey does not cover the City of London, so London is shown." in text
    assert "Policing in City of London" in text


def test_period_before_survey_and_crime_is_said_not_hidden(store):
    first, _ = month_range(store)
    one_month = Period(first, first)
    text = pdf_text(Briefer(store).pdf(LAMBETH, one_month))
    assert f"{first:%B %Y}" in text
    assert "compare" in text  # no earlier period to compare with is said plainly
    assert "sidebar" not in text  # paper has no sidebar
