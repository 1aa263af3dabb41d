"""The pieces of a chart layout: plain, frozen values that the SVG templates print as they are.

Every coordinate is already text (:func:`.svg.n`), so the template never formats or localises a number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True)
class Line:
    x1: str
    y1: str
    x2: str
    y2: str


@dataclass(frozen=True)
class Text:
    x: str
    y: str
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Frame:
    """The outer ``<svg>``: its size, ids for ``aria-labelledby``, and its title and description."""

    ids: str
    width: str
    height: str
    instrument: str
    title: str
    description: str
    font_family: str
    font_size: str


@dataclass(frozen=True)
class Message:
    """A short chart that only says there is nothing to draw yet."""

    frame: Frame
    box: Rect
    text: Text
