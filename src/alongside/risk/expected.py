"""The expected-response range the not-on-track model gives a client, for the measures' progress charts.

Registered in ``measures.hooks.EXPECTED_RESPONSE`` from :func:`alongside.risk.page_parts.register`, so measures
draws it without importing this app. The range is the model's low and high quantiles of the total at each
administration, for clients who started in the same intake band (quantile regression on ln(session number) and
intake total; see the model card).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from alongside.risk.online import band_at


def _percent(model: dict[str, Any], code: str, name: str) -> int | None:
    for row in model["quantiles"]:
        if row["measure"] == code and row["q"] == name:
            return round(float(row["quantile"]) * 100)
    return None


def _reference() -> dict[str, Any]:
    from alongside.risk.active import reference

    return reference().not_on_track


def expected_range(
    practice_id: object, code: str, intake: float, count: int
) -> tuple[str, list[tuple[float, float, float]]] | None:
    """Return the model's label and (low, median, high) for administrations 1..count, or None without a range.

    ``practice_id`` chooses the practice's own fitted model when it has an active, trusted one
    (:func:`alongside.risk.active.models_in_use`); otherwise the reference model draws the range. The label says which.
    """
    from alongside.risk.active import models_in_use
    from alongside.risk.models import ModelSource

    in_use = models_in_use(practice_id) if practice_id is not None else None
    not_model = in_use.not_on_track if in_use is not None else _reference()
    own = in_use is not None and in_use.source == ModelSource.PRACTICE
    rows = []
    for number in range(1, count + 1):
        band = band_at(not_model, code, intake, number)
        if not {"low", "median", "high"} <= band.keys():
            return None
        rows.append((band["low"], band["median"], band["high"]))
    low, high = _percent(not_model, code, "low"), _percent(not_model, code, "high")
    values = {"low": low, "high": high}
    if not own:
        label = _("Expected range, reference model (%(low)sth to %(high)sth percentile)") % values
    else:
        label = _("Expected range, this practice's model (%(low)sth to %(high)sth percentile)") % values
    return label, rows
