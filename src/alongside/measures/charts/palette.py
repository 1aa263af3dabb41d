"""Colours: calm, safe for colour-blind readers, and never the only carrier of meaning.

Text is always ink or muted ink on a light tint (contrast well above 4.5:1); markers differ by shape as well
as by colour (Okabe & Ito's bluish green and vermillion, darkened to keep 4.5:1 on white).
"""

from __future__ import annotations

INK = "#1f2a30"
MUTED = "#4f5d66"
PAPER = "#ffffff"
FRAME = "#8d969b"
GRID = "#ffffff"
LINE = "#1f4e79"
IMPROVED = "#00735a"
DETERIORATED = "#a94400"
CASENESS = "#5b2a6e"
BASELINE = "#4f5d66"
NOT_ASKED = "#f4f5f3"
NOT_ASKED_HATCH = "#9aa3a8"

# Severity tints, from none (green) to severe (red-ish); all light enough for ink text.
BAND_STOPS = ("#e3f1e6", "#eef4dc", "#fbf3d3", "#fbe5cf", "#f7d9d6")

# Item answers, from 0 (lightest) to the highest answer (darkest), one hue so order reads without colour names.
# The ramp skips the mid tones, where neither ink nor white text would reach 4.5:1: the lower half of the answers
# are light (ink text), the upper half dark (white text).
HEAT_LOW = "#eef2f8"
HEAT_LIGHT_END = "#a9bcd6"
HEAT_DARK_START = "#4a6a96"
HEAT_HIGH = "#1f3a5f"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(channel) for channel in rgb))


def mix(low: str, high: str, fraction: float) -> str:
    """Return the colour `fraction` of the way from `low` to `high`."""
    fraction = min(1.0, max(0.0, fraction))
    a, b = _rgb(low), _rgb(high)
    return _hex(tuple(x + (y - x) * fraction for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def band_tints(count: int) -> tuple[str, ...]:
    """Return `count` tints from mildest to most severe."""
    if count <= 0:
        return ()
    if count == 1:
        return (BAND_STOPS[0],)
    tints = []
    last = len(BAND_STOPS) - 1
    for index in range(count):
        position = index * last / (count - 1)
        below = int(position)
        tints.append(
            BAND_STOPS[below] if below == last else mix(BAND_STOPS[below], BAND_STOPS[below + 1], position - below)
        )
    return tuple(tints)


def heat_colour(value: int, max_value: int) -> str:
    """Return the fill of an item answer."""
    fraction = value / max_value
    if fraction <= 0.5:
        return mix(HEAT_LOW, HEAT_LIGHT_END, fraction * 2)
    return mix(HEAT_DARK_START, HEAT_HIGH, fraction * 2 - 1)


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(fill: str) -> str:
    """Return ink or white, whichever reads better on `fill`."""
    return INK if contrast(INK, fill) >= contrast(PAPER, fill) else PAPER
