"""Where things go on a score chart: legend rows, band edges and label lines, reference labels, triangles.

Pure geometry on plain numbers; :mod:`.score_layout` turns the results into a layout for the template.
"""

from __future__ import annotations

import itertools

from .svg import n, text_width
from .types import Band, Series

WRAP_AT = 16  # band labels longer than this wrap onto two lines where the band is tall enough
LINE_HEIGHT = 12

Box = tuple[float, float, float, float]


def legend_rows(labels: list[str], available: float) -> list[list[tuple[int, float]]]:
    """Place legend entries (by index) left to right, wrapping onto a new row when one would not fit."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = 0.0
    for index, label in enumerate(labels):
        entry_width = 26 + text_width(label) + 16
        if rows[-1] and x + entry_width > available:
            rows.append([])
            x = 0.0
        rows[-1].append((index, x))
        x += entry_width
    return rows


def triangle(x: float, y: float, size: float, down: bool) -> str:
    """Return the points of a triangle centred on (x, y) pointing down or up."""
    tip = 1 if down else -1
    return " ".join(
        f"{n(px)},{n(py)}"
        for px, py in (
            (x - size, y - tip * size * 0.8),
            (x + size, y - tip * size * 0.8),
            (x, y + tip * size * 1.0),
        )
    )


def band_edges(bands: tuple[Band, ...], series: Series) -> list[tuple[Band, float, float]]:
    """Return each band with the values its shading spans: from its cut-off up to the next band's cut-off.

    Bands are drawn edge to edge at the published cut-offs (PHQ-9 "mild" 5-9 spans 5 to 10), so the shading
    meets the cut-off line; a real gap between bands is left unshaded.
    """
    edges = []
    for index, band in enumerate(bands):
        top = band.upper
        if index + 1 < len(bands) and bands[index + 1].lower - band.upper <= 1:
            top = bands[index + 1].lower
        low = min(series.max_value, max(series.min_value, band.lower))
        high = min(series.max_value, max(series.min_value, top))
        edges.append((band, low, high))
    return edges


def band_label_lines(label: str, height: float) -> list[str]:
    """Return a band label on one line, or on two where it is long and the band tall enough."""
    if len(label) > WRAP_AT and " " in label and height >= 2 * LINE_HEIGHT + 2:
        middle = len(label) // 2
        spaces = [index for index, char in enumerate(label) if char == " "]
        split = min(spaces, key=lambda index: abs(index - middle))
        return [label[:split], label[split + 1 :]]
    return [label]


def _samples(avoid: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the score points and points every few pixels along the segments between them."""
    samples = list(avoid)
    for (x1, y1), (x2, y2) in itertools.pairwise(avoid):
        steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) // 3))
        samples.extend((x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(1, steps))
    return samples


def place_label(
    label: str,
    line_y: float,
    left: float,
    end: float,
    top: float,
    bottom: float,
    *,
    prefer_right: bool,
    avoid: list[tuple[float, float]],
    taken: list[Box],
) -> tuple[str, float, float, Box]:
    """Return anchor, x, y and box of a reference line's label: the first of its places that covers no score.

    The places are each end of the line, above and below it; the score line is sampled along its segments.
    """
    width = text_width(label)
    ends = [("end", end - 4), ("start", left + 4)]
    if not prefer_right:
        ends.reverse()
    samples = _samples(avoid)
    candidates = []
    for anchor, label_x in ends:
        for label_y in (line_y - 4, line_y + 12):
            if label_y - 10 < top or label_y + 2 > bottom:
                continue
            x_lo = label_x - width if anchor == "end" else label_x
            box = (x_lo - 3, label_y - 10 - 3, x_lo + width + 3, label_y + 2 + 3)
            candidates.append((anchor, label_x, label_y, box))
    for candidate in candidates:
        x_lo, y_lo, x_hi, y_hi = candidate[3]
        if any(x_lo <= px <= x_hi and y_lo <= py <= y_hi for px, py in samples):
            continue
        if any(x_lo < b[2] and b[0] < x_hi and y_lo < b[3] and b[1] < y_hi for b in taken):
            continue
        return candidate
    if candidates:
        return candidates[0]
    anchor, label_x = ends[0]
    return anchor, label_x, line_y - 4, (0.0, 0.0, 0.0, 0.0)
