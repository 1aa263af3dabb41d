"""Server-rendered measure charts: accessible SVG and tables, escaped, deterministic, and readable at any length."""

from __future__ import annotations

import hashlib
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from alongside.measures.charts import (
    Band,
    ItemGrid,
    Point,
    Series,
    item_heatmap,
    item_heatmap_table,
    palette,
    score_chart,
    score_table,
)
from alongside.measures.charts.scales import date_ticks, value_ticks

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

PHQ9_BANDS = (
    Band("minimal", 0, 4),
    Band("mild", 5, 9),
    Band("moderate", 10, 14),
    Band("moderately severe", 15, 19),
    Band("severe", 20, 27),
)
START = date(2025, 1, 6)


def phq9(values, reliable=None, *, every=14, caseness=10, baseline=18, bands=PHQ9_BANDS, title="PHQ-9"):
    """Return a PHQ-9 series, one score every `every` days from 6 January 2025."""
    reliable = reliable or [None] * len(values)
    return Series(
        instrument="phq9",
        title=title,
        unit="",
        min_value=0,
        max_value=27,
        bands=bands,
        caseness=caseness,
        baseline=baseline,
        points=tuple(
            Point(START + timedelta(days=every * index), value, flag)
            for index, (value, flag) in enumerate(zip(values, reliable, strict=True))
        ),
    )


RECOVERING = phq9([18, 19, 14, 12, 9, 7], [None, None, None, "improved", "improved", "improved"])


def parse(svg: SafeString) -> ET.Element:
    return ET.fromstring(str(svg))


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if name in element.get("class", "").split()]


def grid_y(root: ET.Element) -> dict[str, float]:
    """Return the y of each value-axis grid line, keyed by its label."""
    lines = by_class(root, "chart-grid")
    labels = [element.text for element in by_class(root, "chart-axis-label") if element.get("text-anchor") == "end"]
    return {label: float(line.get("y1")) for line, label in zip(lines, labels, strict=True)}


def test_chart_is_an_image_with_a_title_and_a_description_in_numbers():
    """The SVG parses as XML, is role=img, and is labelled by its title and a description of first, latest and change."""
    root = parse(score_chart(RECOVERING))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 640 260"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "PHQ-9"
    assert "6 scores" in desc.text
    assert "First 18 (moderately severe), latest 7 (mild)" in desc.text
    assert "Change since baseline (18): \u221211, reliable improvement" in desc.text
    assert "below the clinical cut-off of 10" in desc.text
    assert "3 scores show reliable improvement" in desc.text


def test_one_shaded_rectangle_per_band_with_its_label():
    """Each severity band is one rectangle, tinted from green to red-ish, and its label is written beside it."""
    root = parse(score_chart(RECOVERING))
    bands = by_class(root, "chart-band")
    assert len(bands) == 5
    assert [band.get("fill") for band in bands] == list(palette.band_tints(5))
    labels = ["".join(text.itertext()) for text in by_class(root, "chart-band-label")]
    assert labels == ["minimal", "mild", "moderate", "moderatelysevere", "severe"]  # the long one wraps in two
    # Bands meet at the published cut-offs: "mild" (5 to 9) spans the values 5 to 10.
    y = grid_y(root)
    mild = bands[1]
    assert float(mild.get("y")) + float(mild.get("height")) == pytest.approx(y["5"], abs=0.1)
    assert float(mild.get("y")) == pytest.approx(y["10"], abs=0.1)


def test_without_bands_there_is_no_shading():
    """An instrument without published bands draws no band rectangles and no band labels."""
    root = parse(score_chart(phq9([10, 12], bands=())))
    assert by_class(root, "chart-band") == []
    assert by_class(root, "chart-band-label") == []


def test_value_axis_ticks_are_round_numbers():
    """PHQ-9 (0-27) is ticked every 5, WHO-5 percentages every 20, PHQ-2 (0-6) every 2."""
    assert value_ticks(0, 27) == (0, 5, 10, 15, 20, 25)
    assert value_ticks(0, 100) == (0, 20, 40, 60, 80, 100)
    assert value_ticks(0, 6) == (0, 2, 4, 6)
    assert list(grid_y(parse(score_chart(RECOVERING)))) == ["0", "5", "10", "15", "20", "25"]


def test_caseness_line_is_dashed_at_the_cut_off():
    """The clinical cut-off is a dashed, labelled line at the y of its value."""
    root = parse(score_chart(RECOVERING))
    (line,) = by_class(root, "chart-caseness")
    y = grid_y(root)
    assert float(line.get("y1")) == float(line.get("y2")) == pytest.approx(y["10"], abs=0.1)
    assert line.get("stroke-dasharray")
    (label,) = by_class(root, "chart-caseness-label")
    assert label.text == "Clinical cut-off 10"

    root = parse(score_chart(phq9([18, 7], caseness=12)))
    (line,) = by_class(root, "chart-caseness")
    y = grid_y(root)
    assert float(line.get("y1")) == pytest.approx(y["10"] + (y["15"] - y["10"]) * 2 / 5, abs=0.1)


def test_no_caseness_line_without_a_cut_off():
    """An instrument without caseness has no cut-off line, label or legend entry, and says nothing about it."""
    root = parse(score_chart(phq9([18, 7], caseness=None)))
    assert by_class(root, "chart-caseness") == []
    assert by_class(root, "chart-legend-caseness") == []
    assert "cut-off" not in root.find("svg:desc", NS).text


def test_baseline_line_is_dotted_and_labelled():
    """The baseline is a horizontal dotted line at its value, with a label, distinct from the cut-off's dashes."""
    root = parse(score_chart(RECOVERING))
    (line,) = by_class(root, "chart-baseline")
    y = grid_y(root)
    assert float(line.get("y1")) == pytest.approx(y["15"] + (y["20"] - y["15"]) * 3 / 5, abs=0.1)
    assert line.get("stroke-dasharray") != by_class(root, "chart-caseness")[0].get("stroke-dasharray")
    assert by_class(root, "chart-baseline-label")[0].text == "Baseline 18"


def test_reliable_markers_only_on_reliable_points_and_told_apart_by_shape():
    """Reliable improvement and deterioration get triangles pointing the way the score moved; other scores circles."""
    series = phq9([18, 25, 12, 17], [None, "deteriorated", "improved", None])
    root = parse(score_chart(series))
    improved = by_class(root, "chart-point-improved")
    deteriorated = by_class(root, "chart-point-deteriorated")
    plain = [element for element in by_class(root, "chart-point") if element.tag == f"{SVG}circle"]
    assert len(improved) == 1
    assert len(deteriorated) == 1
    assert len(plain) == 2
    assert improved[0].tag == deteriorated[0].tag == f"{SVG}polygon"
    # PHQ-9 improves downwards: the improvement triangle points down, the deterioration one up.
    assert "chart-marker-down" in improved[0].get("class")
    assert "chart-marker-up" in deteriorated[0].get("class")
    assert improved[0].get("fill") != deteriorated[0].get("fill")

    def tip_below_centre(polygon):
        ys = [float(pair.split(",")[1]) for pair in polygon.get("points").split()]
        return ys[2] > ys[0]

    assert tip_below_centre(improved[0])
    assert not tip_below_centre(deteriorated[0])
    legend = {entry.get("class").split()[-1] for entry in by_class(root, "chart-legend-entry")}
    assert {"chart-legend-improved", "chart-legend-deteriorated"} <= legend


def test_no_reliable_markers_without_reliable_change():
    """Without reliable change there are only circles, and the legend does not mention reliable change."""
    root = parse(score_chart(phq9([18, 16, 15])))
    assert by_class(root, "chart-point-improved") == by_class(root, "chart-point-deteriorated") == []
    assert all(element.tag == f"{SVG}circle" for element in by_class(root, "chart-point"))
    assert not by_class(root, "chart-legend-improved")


def test_higher_is_better_turns_the_improvement_marker_up():
    """On WHO-5, where higher is better, reliable improvement points up and the top band is the green one."""
    series = Series(
        "who5",
        "WHO-5",
        "%",
        0,
        100,
        (Band("poor", 0, 28), Band("low", 29, 50), Band("good", 51, 100)),
        50,
        24,
        (Point(START, 24), Point(START + timedelta(days=30), 64, "improved")),
        lower_is_better=False,
    )
    root = parse(score_chart(series))
    assert "chart-marker-up" in by_class(root, "chart-point-improved")[0].get("class")
    assert by_class(root, "chart-band")[2].get("fill") == palette.BAND_STOPS[0]
    assert "latest 64% (good)" in root.find("svg:desc", NS).text
    assert "Higher scores are better." in root.find("svg:desc", NS).text


def test_every_point_has_a_tooltip():
    """Each marker carries a <title> with date, score, band, change and reliable change for hover."""
    root = parse(score_chart(RECOVERING))
    titles = [element.find("svg:title", NS).text for element in by_class(root, "chart-point")]
    assert len(titles) == 6
    assert titles[3] == "17 Feb 2025: 12 (moderate); change \u22126; reliable improvement"


def test_hostile_text_is_escaped():
    """Titles, band labels and instrument codes are text: a <script> title stays text and never becomes markup."""
    hostile = '<script>alert("x")</script>'
    series = phq9([18, 7], title=hostile, bands=(Band("<b>mild</b>", 0, 27),))
    series = Series(**{**series.__dict__, "instrument": 'x" onload="alert(1)'})
    for html in (score_chart(series), score_table(series)):
        assert "<script" not in html
        assert "<b>" not in html
        assert 'onload="' not in html
    root = parse(score_chart(series))
    assert root.find("svg:title", NS).text == hostile
    assert all(element.tag != f"{SVG}script" for element in root.iter())
    caption = ET.fromstring(str(score_table(series))).find("caption")
    assert caption.text.strip() == hostile


def test_no_inline_style_so_the_csp_holds():
    """Charts use presentation attributes and classes only: no style attribute, no <style> element."""
    grid = ItemGrid("phq9", ("a", "b"), (START,), ((1,), (None,)), 3)
    for svg in (score_chart(RECOVERING), score_chart(phq9([])), item_heatmap(grid)):
        for element in parse(svg).iter():
            assert element.tag != f"{SVG}style"
            assert "style" not in element.attrib


def test_same_input_same_bytes():
    """Rendering is deterministic; two different series on one page get different ids."""
    assert score_chart(RECOVERING) == score_chart(RECOVERING)
    assert score_table(RECOVERING) == score_table(RECOVERING)
    other = parse(score_chart(phq9([3, 4])))
    assert other.find("svg:title", NS).get("id") != parse(score_chart(RECOVERING)).find("svg:title", NS).get("id")


def test_no_scores_yet():
    """Without scores the chart is a short box that says so, and the table has one row saying so."""
    series = phq9([])
    root = parse(score_chart(series))
    assert root.get("role") == "img"
    assert root.find("svg:desc", NS).text == "No scores yet."
    assert by_class(root, "chart-message")[0].text == "No scores yet."
    table = ET.fromstring(str(score_table(series)))
    (row,) = table.find("tbody")
    assert row.find("td").text == "No scores yet."


def test_one_score():
    """A single score is a marker above one date tick, with no line, and a description without a trend."""
    series = phq9([12], baseline=None)
    root = parse(score_chart(series))
    assert by_class(root, "chart-line") == []
    (marker,) = by_class(root, "chart-point")
    (tick,) = by_class(root, "chart-tick")
    assert float(tick.get("x1")) == pytest.approx(float(marker.get("cx")), abs=0.1)
    desc = root.find("svg:desc", NS).text
    assert "1 score, on 6 Jan 2025. Score 12 (moderate)." in desc
    assert "Change" not in desc


def test_scores_at_the_ends_of_the_scale_stay_inside_the_plot():
    """A score of 0 sits on the bottom of the plot and 27 on its top, and both are in the bands."""
    root = parse(score_chart(phq9([0, 27])))
    low, high = by_class(root, "chart-point")
    (frame,) = by_class(root, "chart-frame")
    top = float(frame.get("y"))
    assert float(low.get("cy")) == pytest.approx(top + float(frame.get("height")), abs=0.1)
    assert float(high.get("cy")) == pytest.approx(top, abs=0.1)
    table = ET.fromstring(str(score_table(phq9([0, 27]))))
    assert [row[2].text for row in table.find("tbody")] == ["minimal", "severe"]


def test_two_years_of_weekly_scores():
    """104 weekly scores draw 104 markers, a handful of month ticks, and tick labels that do not overlap."""
    values = [max(0, 20 - index // 6) for index in range(104)]
    root = parse(score_chart(phq9(values, every=7)))
    assert len(by_class(root, "chart-point")) == 104
    ticks = [float(tick.get("x1")) for tick in by_class(root, "chart-tick")]
    assert 3 <= len(ticks) <= 8
    labels = [element.text for element in by_class(root, "chart-axis-label") if element.get("text-anchor") != "end"]
    assert labels[0] == "Jan 2025"
    assert "Jan 2026" in labels
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert min(gaps) > 6.2 * max(len(label) for label in labels)


@pytest.mark.parametrize(
    ("days", "kind"),
    [(6, "day"), (21, "week"), (70, "week"), (180, "month"), (730, "month"), (3000, "year")],
)
def test_date_ticks_suit_the_span(days, kind):
    """Ticks are days for a week, weeks for a few weeks, months up to two years, years beyond; never too many."""
    lo = START.toordinal()
    ticks = date_ticks(lo, lo + days, 6)
    assert 1 <= len(ticks) <= 6
    assert {tick.kind for tick in ticks} == {kind}
    if kind == "week":
        assert all(tick.day.weekday() == 0 for tick in ticks)
    if kind == "month":
        assert all(tick.day.day == 1 for tick in ticks)


def test_datetimes_and_unsorted_points_are_placed_in_time_order():
    """Points may be aware datetimes and come in any order; the chart and table put them in date order."""
    series = Series(
        "gad7",
        "GAD-7",
        "",
        0,
        21,
        (),
        8,
        None,
        (Point(datetime(2025, 3, 1, 9, tzinfo=UTC), 6), Point(datetime(2025, 2, 1, 18, tzinfo=UTC), 15)),
    )
    root = parse(score_chart(series))
    first, second = by_class(root, "chart-point")
    assert float(first.get("cx")) < float(second.get("cx"))
    assert "First 15, latest 6" in root.find("svg:desc", NS).text
    assert "Change since the first score: \u22129, no reliable change" in root.find("svg:desc", NS).text
    table = ET.fromstring(str(score_table(series)))
    assert [row[0][0].get("datetime") for row in table.find("tbody")] == ["2025-02-01", "2025-03-01"]
    # GAD-7 here has no bands, so the table has no severity column.
    assert [th.text for th in table.find("thead").iter("th")] == [
        "Date",
        "Score",
        "Change from first score",
        "Reliable change",
    ]


def test_table_has_a_caption_and_a_row_per_score():
    """The table alternative has a caption, column headers and one row per score with band, change and reliability."""
    table = ET.fromstring(str(score_table(RECOVERING)))
    caption = "".join(table.find("caption").itertext())
    assert caption.startswith("PHQ-9 ")
    assert "Baseline 18. Clinical cut-off 10. Lower scores are better." in caption
    headers = [th.text for th in table.find("thead").iter("th")]
    assert headers == ["Date", "Score", "Severity", "Change from baseline", "Reliable change"]
    assert all(th.get("scope") == "col" for th in table.find("thead").iter("th"))
    rows = list(table.find("tbody"))
    assert len(rows) == 6
    first, last = rows[0], rows[-1]
    assert first[0].get("scope") == "row"
    assert [cell.text for cell in first[1:]] == ["18", "moderately severe", "0", "no reliable change"]
    assert [cell.text for cell in last[1:]] == ["7", "mild", "\u221211", "reliable improvement"]


def test_words_follow_the_language():
    """With lang="es" dates are Spanish, and the active language is left as it was."""
    with translation.override("en"):
        root = parse(score_chart(RECOVERING, lang="es"))
        assert translation.get_language() == "en"
    assert "6 ene 2025" in root.find("svg:desc", NS).text


def test_text_contrast_is_at_least_4_5_to_1():
    """Ink and muted ink read at 4.5:1 or better on every band tint and on white; markers at 4.5:1 on white."""
    for count in range(1, 8):
        for tint in palette.band_tints(count):
            assert palette.contrast(palette.INK, tint) >= 4.5
            assert palette.contrast(palette.MUTED, tint) >= 4.5
    for colour in (palette.LINE, palette.IMPROVED, palette.DETERIORATED, palette.CASENESS, palette.BASELINE):
        assert palette.contrast(colour, palette.PAPER) >= 4.5
    for top in range(1, 7):
        for value in range(top + 1):
            fill = palette.heat_colour(value, top)
            assert palette.contrast(palette.text_on(fill), fill) >= 4.5


PHQ9_ITEMS = ("Little interest or pleasure in doing things", "Feeling down, depressed, or hopeless", "Feeling tired")
GRID = ItemGrid(
    instrument="PHQ-9",
    item_labels=PHQ9_ITEMS,
    dates=(START, START + timedelta(days=14), START + timedelta(days=28)),
    values=((3, 2, 1), (2, None, 0), (3, 3, 2)),
    max_value=3,
)


def test_heatmap_has_a_cell_per_item_and_administration():
    """One cell per (item, date), each with a tooltip naming item, date and answer; cells not asked say so."""
    root = parse(item_heatmap(GRID))
    assert root.get("role") == "img"
    cells = by_class(root, "heat-cell")
    assert len(cells) == 9
    assert [(cell.get("data-item"), cell.get("data-column")) for cell in cells][:3] == [
        ("1", "1"),
        ("1", "2"),
        ("1", "3"),
    ]
    (not_asked,) = by_class(root, "heat-cell-not-asked")
    assert not_asked.get("data-item") == "2"
    assert not_asked.get("data-column") == "2"
    assert not_asked.find("svg:title", NS).text == "2. Feeling down, depressed, or hopeless, 20 Jan 2025: not asked"
    assert not_asked.get("fill").startswith("url(#")
    assert cells[0].find("svg:title", NS).text == "1. Little interest or pleasure in doing things, 6 Jan 2025: 3"
    # The answer is also written in the cell, so colour is not the only cue.
    assert [text.text for text in by_class(root, "heat-value")][:3] == ["3", "2", "1"]
    assert "8 of 9 cells answered" in root.find("svg:desc", NS).text


def test_heatmap_legend_shows_every_answer_and_not_asked():
    """The legend has a swatch per answer value from 0 to the maximum, and one for "not asked"."""
    (legend,) = by_class(parse(item_heatmap(GRID)), "chart-legend")
    texts = [text.text for text in legend.iter(f"{SVG}text")]
    assert texts == ["Answer", "0", "1", "2", "3", "not asked"]


def test_heatmap_table_for_screen_readers():
    """The table has a caption, a column per date, a row per item, and "not asked" where the item was skipped."""
    table = ET.fromstring(str(item_heatmap_table(GRID)))
    assert table.find("caption").text == "PHQ-9: answers by item"
    assert len(list(table.find("thead").iter("th"))) == 4
    rows = list(table.find("tbody"))
    assert [row[0].text for row in rows] == [f"{index}. {label}" for index, label in enumerate(PHQ9_ITEMS, start=1)]
    assert [cell.text for cell in rows[1][1:]] == ["2", "not asked", "0"]


def test_heatmap_escapes_labels_and_is_deterministic():
    """Item labels are escaped text; the same grid renders to the same bytes."""
    grid = ItemGrid("<i>x</i>", ("<script>alert(1)</script>",), (START,), ((1,),), 3)
    html = item_heatmap(grid)
    assert "<script" not in html
    assert "<i>" not in html
    assert "<script" not in item_heatmap_table(grid)
    assert html == item_heatmap(grid)
    assert by_class(parse(html), "chart-item-label")[0].find("svg:title", NS).text == "1. <script>alert(1)</script>"


def test_heatmap_without_administrations():
    """A grid without dates renders a short "no answers yet" image and table."""
    grid = ItemGrid("phq9", PHQ9_ITEMS, (), ((), (), ()), 3)
    assert by_class(parse(item_heatmap(grid)), "chart-message")[0].text == "No answers yet."
    assert "No answers yet." in item_heatmap_table(grid)


def test_inconsistent_inputs_are_refused():
    """A scale without range, a band upside down and a grid of the wrong shape raise ValueError."""
    with pytest.raises(ValueError, match="max_value"):
        Series("x", "X", "", 5, 5, (), None, None, ())
    with pytest.raises(ValueError, match="upper"):
        Band("bad", 9, 5)
    with pytest.raises(ValueError, match="item 1 has 1 values for 2 dates"):
        ItemGrid("x", ("a",), (START, START), ((1,),), 3)


def test_long_item_labels_are_shortened_on_the_chart_only():
    """Item labels longer than the label column end with an ellipsis on the chart; the tooltip keeps them whole."""
    grid = ItemGrid("phq9", ("x" * 80,), (START,), ((1,),), 3)
    (label,) = by_class(parse(item_heatmap(grid)), "chart-item-label")
    shown = label.find("svg:title", NS).tail
    assert shown.endswith("\u2026")
    assert len(shown) < 40
    assert label.find("svg:title", NS).text == "1. " + "x" * 80
    assert re.search("x{80}", str(item_heatmap_table(grid)))


WHO5 = Series(
    "who5",
    "WHO-5",
    "%",
    0,
    100,
    (Band("poor", 0, 28), Band("low", 29, 50), Band("good", 51, 100)),
    50,
    24,
    (Point(START, 24), Point(START + timedelta(days=30), 64, "improved"), Point(START + timedelta(days=61), 20)),
    lower_is_better=False,
)


def _snapshots() -> dict[str, str]:
    """Representative charts and tables, in English and Spanish, as the markup they render to."""
    weekly = phq9([max(0, 20 - index // 6) for index in range(104)], every=7)
    worse = phq9([6, 9, 14, 21, 27], [None, None, "deteriorated", "deteriorated", "deteriorated"], baseline=None)
    hostile = phq9([3, 5], title='<script>"x"</script>', bands=(), caseness=None)
    grid = ItemGrid("<b>GAD</b>", ("x" * 80, "short"), (START, START + timedelta(days=9)), ((0, 3), (None, 1)), 3)
    cases = {
        "recovering": lambda: score_chart(RECOVERING),
        "recovering-table": lambda: score_table(RECOVERING),
        "recovering-es": lambda: score_chart(RECOVERING, lang="es"),
        "weekly": lambda: score_chart(weekly),
        "worse": lambda: score_chart(worse),
        "worse-table": lambda: score_table(worse),
        "who5": lambda: score_chart(WHO5),
        "who5-table": lambda: score_table(WHO5),
        "hostile": lambda: score_chart(hostile),
        "one": lambda: score_chart(phq9([12])),
        "empty": lambda: score_chart(phq9([])),
        "empty-table": lambda: score_table(phq9([])),
        "heatmap": lambda: item_heatmap(GRID),
        "heatmap-table": lambda: item_heatmap_table(GRID),
        "heatmap-odd": lambda: item_heatmap(grid),
        "heatmap-empty": lambda: item_heatmap(ItemGrid("phq9", PHQ9_ITEMS, (), ((), (), ()), 3)),
    }
    out = {}
    for language in ("en", "es"):
        with translation.override(language):
            out.update({f"{name}:{language}": str(render()) for name, render in cases.items()})
    return out


SNAPSHOTS: dict[str, str] = {
    "recovering:en": "aa3f170860e7a6db",
    "recovering-table:en": "bf8b68f70f4a3ffa",
    "recovering-es:en": "04c89c20c8b1043d",
    "weekly:en": "cbafd55a7d3959cb",
    "worse:en": "9fd532ca27e13458",
    "worse-table:en": "e564ba78ecb75cc7",
    "who5:en": "ae9b9da4ed450bb7",
    "who5-table:en": "0712489eff121be2",
    "hostile:en": "72b6eb8f9cf85319",
    "one:en": "c943c310aafe95c4",
    "empty:en": "6632906632267639",
    "empty-table:en": "be3a57f36aa7d5eb",
    "heatmap:en": "74e44db1440fcaa3",
    "heatmap-table:en": "7706282b3fa195f1",
    "heatmap-odd:en": "3cc0fdf41e5d6ce5",
    "heatmap-empty:en": "77678b488251fe14",
    "recovering:es": "04c89c20c8b1043d",
    "recovering-table:es": "1fa13609a3ef5e0c",
    "recovering-es:es": "04c89c20c8b1043d",
    "weekly:es": "89f81500331e846e",
    "worse:es": "01d8455d95c4fc0e",
    "worse-table:es": "021149a8a3afcda9",
    "who5:es": "434bcdc3bcbc292d",
    "who5-table:es": "27d51db42e084649",
    "hostile:es": "834719d3a312fa55",
    "one:es": "4f6f0917f6a44cb8",
    "empty:es": "d7626734e3a6ae4a",
    "empty-table:es": "6248e3231a7c4b52",
    "heatmap:es": "ec94f1eeca2965ee",
    "heatmap-table:es": "d379ce45b4e6747f",
    "heatmap-odd:es": "06a7b554642f816d",
    "heatmap-empty:es": "c51da9dac647338e",
}


def test_rendered_markup_is_pinned():
    """Charts and tables render to exactly the markup pinned before charts became layouts and templates.

    The two heat maps were re-pinned when their date labels turned so that every date shows (#14: they labelled
    only every other date); every other chart and table kept its bytes.
    """
    digests = {name: hashlib.sha256(markup.encode()).hexdigest()[:16] for name, markup in _snapshots().items()}
    assert digests == SNAPSHOTS
