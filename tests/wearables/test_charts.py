"""Charts: an SVG with the baseline band and each day's point, a table with the same numbers, on My body data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from alongside.wearables.charts import chart_layout, feature_chart
from alongside.wearables.metrics import Metric
from alongside.wearables.models import DailyFeature

DAY0 = dt.date(2024, 3, 1)
ROWS = [(DAY0 + dt.timedelta(days=i), 8000.0 + 100 * i, 8000.0, 300.0) for i in range(9)] + [
    (DAY0 + dt.timedelta(days=9), 2000.0, 8000.0, 300.0)
]


def test_the_band_spans_median_plus_minus_two_mads_and_outside_days_are_marked():
    """The band's top is at 8,600 and bottom at 7,400; the 2,000-step day is the only one outside it."""
    layout = chart_layout(Metric.STEPS, ROWS)
    assert layout is not None
    assert [p.outside for p in layout.points].count(True) == 3  # 8,700, 8,800 and 2,000 lie outside 7,400-8,600
    assert layout.points[-1].outside
    assert layout.band.count(",") == 2 * len(ROWS)
    assert "3 outside your usual range" in layout.description


def test_the_chart_prints_an_accessible_svg_and_its_table():
    """The SVG names itself (title, desc) and the table lists each day with its value and usual range."""
    html = str(feature_chart(Metric.STEPS, ROWS))
    assert 'role="img"' in html
    assert "<polygon" in html
    assert "<polyline" in html
    assert "<table>" in html
    assert "7,400-8,600" in html
    assert "style=" not in html  # the strict CSP allows no inline style


def test_my_body_data_shows_the_charts(world, client):
    """Sam's page carries a chart per charted measure with data."""
    DailyFeature.objects.bulk_create(
        DailyFeature(client=world.sam, day=day, metric=Metric.STEPS, value=value, baseline_median=m, baseline_mad=d)
        for day, value, m, d in ROWS
    )
    client.force_login(world.sam.user)
    body = client.get(reverse("wearables:mine")).content.decode()
    assert "The last four weeks" in body
    assert body.count('class="wearables-chart"') == 1
