"""Item-level answers drawn from a latent severity: a small graded-response (IRT-like) model.

Each item has ordered answer categories. The chance of reaching category ``k`` or above is
``sigmoid(a * (theta + offset - tau_k))``: it rises with the latent severity ``theta``, with
an item-specific ``offset`` (sleep problems are common, thoughts of self-harm rare) and with
per-client offsets, so one client's items move together and a total tracks the latent state.
Reverse-scored items and instruments where a higher score is better (WHO-5) are mirrored.

The parameters are illustrative, chosen so that totals look like a routine outpatient
service; they are not fitted to any data set. Nothing here touches the database.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

from alongside.measures import library
from alongside.measures.library import Instrument, Item

# Discrimination: how sharply an item's answers follow the latent severity.
DISCRIMINATION = 1.7

# Where the latent severity (0 none .. 1 most severe) sits on the theta scale of the items.
THETA_SCALE = 5.0
THETA_CENTRE = 0.42

# Item offsets (positive: endorsed more readily). Sleep and tiredness are the most endorsed
# PHQ-9 items and item 9 the least, as in clinical samples; the size of each offset is ours.
ITEM_OFFSETS: dict[str, dict[int, float]] = {
    "phq9": {1: 0.1, 2: 0.15, 3: 0.5, 4: 0.6, 5: 0.1, 6: 0.05, 7: 0.1, 8: -0.8, 9: -2.3, 10: -0.2},
    "gad7": {1: 0.35, 2: 0.1, 3: 0.3, 4: 0.2, 5: -0.4, 6: 0.25, 7: -0.2},
    "core10": {6: -3.6},
    "pcl5": {8: -0.4, 16: -0.7},
}

# The critical items, whose offset also carries the client's own risk propensity.
RISK_ITEMS: dict[str, int] = {"phq9": 9, "core10": 6}


def theta_of(severity: float) -> float:
    """Return the item-scale theta of a latent severity on the 0..1 scale."""
    return THETA_SCALE * (severity - THETA_CENTRE)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _thresholds(n_categories: int) -> list[float]:
    # Evenly spaced category thresholds; instruments with more categories spread a little wider.
    low, high = -1.2, 1.4 + 0.2 * max(0, n_categories - 4)
    steps = n_categories - 1
    if steps == 1:
        return [0.0]
    return [low + (high - low) * i / (steps - 1) for i in range(steps)]


def _reversed_items(code: str) -> frozenset[str]:
    spec = library.scoring_spec(code)
    return frozenset(spec.reverse.items if spec.reverse else ())


def draw_category(rng: random.Random, theta: float, n_categories: int) -> int:
    """Draw a graded-response category 0..n-1 for an item at ``theta`` (offsets already added)."""
    u = rng.random()
    category = 0
    for tau in _thresholds(n_categories):
        if u < _sigmoid(DISCRIMINATION * (theta - tau)):
            category += 1
        else:
            break
    return category


def _value(instrument: Instrument, item: Item, category: int, reverse: bool) -> int:
    """Map a severity category (0 least severe) onto the item's published answer values."""
    values = sorted(item.values)
    if reverse:
        values.reverse()
    return values[category]


def answer_instrument(
    rng: random.Random,
    code: str,
    theta: float,
    *,
    client_offsets: Mapping[int, float] | None = None,
    risk_offset: float = 0.0,
) -> dict[str, int]:
    """Return one administration's answers (link_id to value), honouring the instrument's branching.

    ``theta`` is the client's latent severity for this instrument at this time, noise included;
    ``client_offsets`` are the client's own item offsets (by 1-based item number).
    """
    instrument = library.get(code)
    offsets = ITEM_OFFSETS.get(code, {})
    reversed_items = _reversed_items(code)
    answers: dict[str, int] = {}
    for item in instrument.items:
        # enableWhen is evaluated on the answers so far: PHQ-9's difficulty item needs a total above 0.
        if item.link_id not in {i.link_id for i in instrument.enabled_items(answers)}:
            continue
        shift = offsets.get(item.number, 0.0) + (client_offsets or {}).get(item.number, 0.0)
        if RISK_ITEMS.get(code) == item.number:
            shift += risk_offset
        # Mirrored items: a higher published value means less distress (WHO-5 all, CORE-10 items 2 and 3).
        reverse = instrument.higher_is_better != (item.link_id in reversed_items)
        category = draw_category(rng, theta + shift, len(item.values))
        answers[item.link_id] = _value(instrument, item, category, reverse)
    return answers
