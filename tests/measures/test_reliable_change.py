"""Reliable change per instrument: the value, its source, and the boundary (a change of exactly the value is reliable)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from alongside.measures.caseload import reliable_direction
from alongside.measures.library import all_instruments, get, jacobson_truax, reliable_change, scoring_spec
from alongside.measures.library.loader import INSTRUMENTS_DIR, InstrumentDataError, load_instrument

# Every shipped instrument, pinned: (value or None, method, a phrase its source or note must contain).
RELIABLE_CHANGE = {
    # NHS England (2024), NHS Talking Therapies manual v7: PHQ-9 6 points, GAD-7 4 points.
    "phq9": (6, "published", "Talking Therapies"),
    "gad7": (4, "published", "Talking Therapies"),
    # Barkham et al. (2013) abstract: "reliable change index (90% CI) of 6"; Connell & Barkham (2007) manual.
    "core10": (6, "published", "reliable change index (90% CI) of 6"),
    # Marx et al. (2022) Psychological Assessment 34(2):197-203: >= 15 (Sample 1, N = 198); >= 18 (Sample 2).
    "pcl5": (15, "published", "Marx BP"),
    # No index published or verifiable; each note says why (and names what was found instead).
    "who5": (None, "none", "10-point change"),
    "k10": (None, "none", "Test-retest"),
    "dass21": (None, "none", "per subscale"),
    "pss10": (None, "none", "alpha .78"),
    "phq15": (None, "none", "No reliable change index"),
    "wsas": (None, "none", "r .73"),
    "phq2": (None, "none", "screener"),
    "gad2": (None, "none", "screener"),
    "auditc": (None, "none", "screen"),
    "cssrs": (None, "none", "risk screen"),
}


def test_the_table_covers_every_shipped_instrument():
    """A new instrument cannot ship without a pinned reliable change decision."""
    assert {i.code for i in all_instruments()} == set(RELIABLE_CHANGE)


@pytest.mark.parametrize(("code", "expected"), sorted(RELIABLE_CHANGE.items()))
def test_reliable_change_value_method_and_source(code, expected):
    """Each instrument's reliable change is the published value (or None) and names where it comes from."""
    value, method, phrase = expected
    spec = scoring_spec(code).reliable_change
    assert reliable_change(code) == value
    assert spec.method == method
    assert phrase in get(code).reliable_change_source
    if value is None:
        assert len(spec.note) > 30, "None needs a reason"
    else:
        assert "(20" in spec.source, "a published value cites a dated source"


def test_core10_says_its_index_is_at_90_percent():
    """CORE-10's index is set at a 90% interval, which differs from Jacobson-Truax's 1.96; the staff see that."""
    assert "90%" in get("core10").reliable_change_source


def test_pcl5_records_the_other_sample_and_the_clinically_meaningful_difference():
    """PCL-5: the choice of 15 over 18 and why the 10-point figure is not used are written beside the value."""
    source = get("pcl5").reliable_change_source
    assert "18 or more" in source
    assert "larger sample" in source
    assert "10-point" in source


BOUNDARIES = [(code, value) for code, (value, _, _) in sorted(RELIABLE_CHANGE.items()) if value is not None]


@pytest.mark.parametrize(("code", "rc"), BOUNDARIES)
def test_a_change_of_exactly_the_value_is_reliable_and_one_less_is_not(code, rc):
    """Scores are whole numbers: a fall of exactly RC is reliable improvement, RC - 1 is not; rises mirror it."""
    instrument = get(code)
    assert not instrument.higher_is_better
    high = instrument.total_max
    assert high is not None
    start = high  # room to fall by RC from the top of the range
    assert reliable_direction(code, start, start - rc) == "improved"
    assert reliable_direction(code, start, start - (rc - 1)) is None
    assert reliable_direction(code, 0, rc) == "deteriorated"
    assert reliable_direction(code, 0, rc - 1) is None


@pytest.mark.parametrize("code", [code for code, (value, _, _) in RELIABLE_CHANGE.items() if value is None])
def test_without_a_value_no_change_is_called_reliable(code):
    """An instrument without a reliable change value never marks a change as reliable, however large."""
    instrument = get(code)
    if instrument.total_max is None:
        return  # no total (C-SSRS): nothing to compare
    assert reliable_direction(code, 0, instrument.total_max) is None
    assert reliable_direction(code, instrument.total_max, 0) is None


# ---- Jacobson NS, Truax P (1991): RC = 1.96 x SD x sqrt(2 x (1 - r)).
@pytest.mark.parametrize(
    ("sd", "r", "rc"),
    [
        (5.0, 0.84, 5.54),  # 1.96 x 5 x sqrt(0.32) = 5.544
        (6.0, 0.90, 5.26),  # 1.96 x 6 x sqrt(0.20) = 5.259
        (8.6, 0.89, 7.91),  # 1.96 x 8.6 x sqrt(0.22) = 7.906
        (10.0, 0.0, 27.72),
    ],
)
def test_jacobson_truax_table(sd, r, rc):
    """The formula, pinned on a few worked values (rounded to two decimals)."""
    assert jacobson_truax(sd, r) == rc


def _copy_instrument(tmp_path: Path, code: str, reliable: dict[str, object]) -> Path:
    for suffix in ("questionnaire", "scoring"):
        shutil.copy(INSTRUMENTS_DIR / f"{code}.{suffix}.json", tmp_path / f"{code}.{suffix}.json")
    path = tmp_path / f"{code}.scoring.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reliable_change"] = reliable
    path.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_a_jacobson_truax_spec_computes_its_value_and_shows_its_derivation(tmp_path):
    """method jacobson_truax: the loader computes RC from the published SD and reliability and keeps the source."""
    directory = _copy_instrument(
        tmp_path,
        "k10",
        {
            "value": None,
            "method": "jacobson_truax",
            "sd": 6.0,
            "reliability": 0.9,
            "reliability_kind": "test_retest",
            "source": "Worked example (not a real norm): SD 6.0, test-retest r .90; RC = 1.96*SD*sqrt(2*(1-r)) = 5.26",
        },
    )
    instrument, _ = load_instrument("k10", directory)
    assert instrument.reliable_change == 5.26
    assert "SD 6.0" in instrument.reliable_change_source


@pytest.mark.parametrize(
    "reliable",
    [
        # Jacobson-Truax without saying whether r is test-retest or Cronbach alpha.
        {"value": None, "method": "jacobson_truax", "sd": 6.0, "reliability": 0.9, "source": "A source, 2020."},
        # Jacobson-Truax with a hand-written value that could drift from SD and r.
        {
            "value": 5,
            "method": "jacobson_truax",
            "sd": 6.0,
            "reliability": 0.9,
            "reliability_kind": "cronbach_alpha",
            "source": "A source, 2020.",
        },
        # A published value without its source.
        {"value": 5, "method": "published"},
        # None without a reason.
        {"value": None, "method": "none"},
        # SD and reliability on a published value (they would be silently ignored).
        {"value": 5, "method": "published", "source": "A source, 2020.", "sd": 6.0, "reliability": 0.9},
    ],
)
def test_incomplete_reliable_change_specs_are_refused(tmp_path, reliable):
    """The data files cannot state a reliable change without what supports it."""
    directory = _copy_instrument(tmp_path, "k10", reliable)
    with pytest.raises(InstrumentDataError):
        load_instrument("k10", directory)
