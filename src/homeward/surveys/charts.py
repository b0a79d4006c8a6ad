"""A dimension's scores over time as a small inline SVG drawn on the server (no script, no library).

Pure geometry: dates along x (evenly by time), scores 0..1 up y, the band
thresholds as faint lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 220, 56, 6


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    taken_on: dt.date
    score: float


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: list[Point]
    thresholds: list[float]  # y of each band's lower bound above 0

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _y(score: float) -> float:
    return PAD + (1 - score) * (HEIGHT - 2 * PAD)


def sparkline(points: list[tuple[dt.date, float]], band_starts: list[float]) -> Sparkline:
    """Coordinates for ``points`` (date, score), oldest first; a single point sits in the middle."""
    if not points:
        return Sparkline(WIDTH, HEIGHT, [], [])
    first, last = points[0][0], points[-1][0]
    span = (last - first).days
    placed = []
    for n, (day, score) in enumerate(points):
        if span > 0:
            x = PAD + (day - first).days / span * (WIDTH - 2 * PAD)
        elif len(points) > 1:
            x = PAD + n / (len(points) - 1) * (WIDTH - 2 * PAD)  # all on one day: spread them
        else:
            x = WIDTH / 2
        placed.append(Point(x, _y(score), day, score))
    return Sparkline(WIDTH, HEIGHT, placed, [_y(b) for b in band_starts if 0 < b < 1])
