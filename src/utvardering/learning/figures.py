"""The learning plan's figure: the annual cycle (*årshjul*) as a wheel of the twelve months.

The months run clockwise from January at the top; each event is a numbered mark on the rim at
its date, and the numbered list beside the wheel says what happens then, so that no label on
the wheel can hide another. The alt text lists every date and event.
"""

from __future__ import annotations

import math
import textwrap

from utvardering.figures.base import FARGER, Figur, new_figure
from utvardering.learning.arshjul import MONTHS, Event

__all__ = ["plot_arshjul"]

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_START = tuple(sum(_DAYS[:i]) for i in range(12))  # day of year (0-based) each month starts
_YEAR = sum(_DAYS)
_RING_IN, _RING_OUT = 0.58, 1.0
_TICK = 0.9  # the event marks start on the ring's outer part, clear of the month names
_LIST_WIDTH = 40  # characters per line of the list beside the wheel


def _angle(day_of_year: float) -> float:
    """Degrees, counter-clockwise from the x axis, of a day: January at the top, clockwise."""
    return 90.0 - 360.0 * day_of_year / _YEAR


def plot_arshjul(events: tuple[Event, ...], lan_namn: str = "") -> Figur:
    """The annual cycle as a wheel with numbered events and their list beside it."""
    from matplotlib.patches import Circle, Wedge

    figure = new_figure(8.0, 4.2)
    grid = figure.add_gridspec(1, 2, width_ratios=(1.0, 1.15))
    wheel = figure.add_subplot(grid[0, 0])
    listing = figure.add_subplot(grid[0, 1])
    for month in range(12):
        start, end = _START[month], _START[month] + _DAYS[month]
        quarter = month // 3
        wheel.add_patch(
            Wedge(
                (0, 0), _RING_OUT, _angle(end), _angle(start), width=_RING_OUT - _RING_IN,
                facecolor="#e8eef5" if quarter % 2 == 0 else "#f7f7f7", edgecolor="white",
                linewidth=1.5,
            )
        )  # fmt: skip
        middle = math.radians(_angle(start + _DAYS[month] / 2))
        radius = (_RING_IN + _RING_OUT) / 2
        wheel.text(
            radius * math.cos(middle), radius * math.sin(middle), MONTHS[month][:3],
            ha="center", va="center", fontsize=9, color="#333333",
        )  # fmt: skip
    wheel.add_patch(Circle((0, 0), _RING_IN, facecolor="white", edgecolor="#cccccc"))
    wheel.text(0, 0.06, "Årshjul", ha="center", va="center", fontsize=11, weight="bold")
    wheel.text(0, -0.12, counted_events(len(events)), ha="center", va="center", fontsize=9)
    colour = FARGER["bla"]
    seen: dict[tuple[int, int], int] = {}
    for number, event in enumerate(events, start=1):
        key = (event.month, event.day)
        stack = seen.get(key, 0)  # events on the same date stand outside each other
        seen[key] = stack + 1
        angle = math.radians(_angle(_START[event.month - 1] + event.day - 1))
        radius = _RING_OUT + 0.1 + 0.19 * stack
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        wheel.plot(
            [_TICK * math.cos(angle), radius * math.cos(angle)],
            [_TICK * math.sin(angle), radius * math.sin(angle)],
            color=colour, linewidth=1.2,
        )  # fmt: skip
        wheel.add_patch(Circle((x, y), 0.085, facecolor=colour, edgecolor="white", zorder=3))
        wheel.text(
            x, y, str(number), ha="center", va="center", fontsize=8, color="white",
            weight="bold", zorder=4,
        )  # fmt: skip
    reach = _RING_OUT + 0.2 + 0.19 * max([*seen.values(), 1])
    wheel.set_xlim(-reach, reach)
    wheel.set_ylim(-reach, reach)
    wheel.set_aspect("equal")
    wheel.axis("off")
    listing.axis("off")
    rows: list[tuple[str, str]] = []
    for number, event in enumerate(events, start=1):
        wrapped = textwrap.wrap(f"{event.date_text}: {event.handelse}", _LIST_WIDTH)
        rows.extend((f"{number}." if i == 0 else "", part) for i, part in enumerate(wrapped))
    size = 10.0 if len(rows) <= 14 else max(6.0, 10.0 * 14 / len(rows))
    step = 0.075 * size / 10.0
    if not rows:
        listing.text(0.0, 0.95, "Inga händelser.", ha="left", va="top", fontsize=size,
                     transform=listing.transAxes)  # fmt: skip
    # Lines of one event stand closer than the events: each entry reads as one.
    offsets, y = [], 0.0
    for i, (number, _) in enumerate(rows):
        if i:
            y += step * (1.2 if number else 0.8)
        offsets.append(y)
    top = 0.5 + (offsets[-1] if offsets else 0.0) / 2  # the list is centred on the wheel
    for (number, part), offset in zip(rows, offsets, strict=True):
        listing.text(0.0, top - offset, number, ha="left", va="top", fontsize=size,
                     transform=listing.transAxes, color=colour, weight="bold")  # fmt: skip
        listing.text(0.08, top - offset, part, ha="left", va="top", fontsize=size,
                     transform=listing.transAxes)  # fmt: skip
    where = f", {lan_namn}" if lan_namn else ""
    title = f"Årshjul för rapportering och återkoppling{where}"
    figure.suptitle(title, fontsize=11, x=0.02, ha="left")
    parts = [f"{event.date_text}: {event.handelse}" for event in events]
    alt = (
        "Ett hjul med årets tolv månader, januari överst och sedan medurs, där varje "
        "rapporteringstillfälle är en numrerad markering vid sitt datum. "
        + ("Tillfällena: " + "; ".join(parts) + "." if parts else "Årshjulet har inga tillfällen.")
    )
    return Figur(figure, title, alt)


def counted_events(n: int) -> str:
    """``"6 tillfällen"``, ``"1 tillfälle"``."""
    return f"{n} {'tillfälle' if n == 1 else 'tillfällen'}"
