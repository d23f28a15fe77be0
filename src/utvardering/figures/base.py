"""The figure type of the reports: a matplotlib figure with its Swedish alt text.

Figures are built on :class:`matplotlib.figure.Figure` directly, not through pyplot, so that
nothing is shown twice in a notebook and nothing leaks between reports. In a notebook a
:class:`Figur` displays as an ``<img>`` with its alt text and a caption.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = ["DPI", "FARGER", "PALETT", "Figur", "new_figure", "render_png"]

# Okabe-Ito: readable for the common colour-vision deficiencies.
FARGER: dict[str, str] = {
    "bla": "#0072B2",
    "orange": "#E69F00",
    "gron": "#009E73",
    "rod": "#D55E00",
    "lila": "#CC79A7",
    "himmel": "#56B4E9",
    "gul": "#F0E442",
    "svart": "#000000",
    "gra": "#999999",
}
PALETT: tuple[str, ...] = tuple(
    FARGER[k] for k in ("bla", "orange", "gron", "rod", "lila", "himmel", "gul", "svart")
)


@cache
def _matplotlib() -> None:
    # matplotlib is imported when the first figure is made, not when this module is: the
    # report registry and the command line import this module and must start fast.
    import matplotlib

    matplotlib.use("Agg", force=False)


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """A figure in the reports' style (sizes in inches)."""
    _matplotlib()
    from matplotlib.figure import Figure  # see _matplotlib

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


# Resolution of every rendering of a figure (page, notebook and PNG file alike).
DPI = 120


def render_png(figure: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes at ``dpi`` on a white background, drawn once.

    ``Figure.savefig`` draws a figure with a layout engine twice: once, without rendering,
    to lay it out, and once more to render it. Here the one Agg draw does both (the layout
    engine runs at the start of the draw, at the resolution of the image), so the pixels and
    the file are those ``savefig(format="png", dpi=dpi, facecolor="white")`` writes, for
    about a third less work.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # see _matplotlib
    from matplotlib.image import imsave

    canvas, resolution, face = figure.canvas, figure.dpi, figure.get_facecolor()
    agg = FigureCanvasAgg(figure)  # the figure's canvas until the image is made
    try:
        figure.dpi = dpi
        figure.set_facecolor("white")
        agg.draw()
        buffer = io.BytesIO()
        imsave(buffer, agg.buffer_rgba(), format="png", origin="upper", dpi=dpi)
    finally:
        figure.dpi = resolution
        figure.set_facecolor(face)
        figure.set_canvas(canvas)
    return buffer.getvalue()


def _texts(figure: Figure) -> Iterator[Text]:
    """Every text of ``figure``. Unlike ``findobj``, an axis gives the ticks it has and makes
    none: making them is a draw's work, and the draw makes them again when the layout moves."""
    from matplotlib.axis import Axis  # see _matplotlib
    from matplotlib.text import Text

    stack: list[Artist] = [figure]
    while stack:
        artist = stack.pop()
        if isinstance(artist, Text):
            yield artist
        if isinstance(artist, Axis):
            stack.extend((artist.label, artist.offsetText, *artist.majorTicks, *artist.minorTicks))
        else:
            stack.extend(artist.get_children())


@dataclass(frozen=True)
class Figur:
    """A report figure: ``figure``, a Swedish ``titel`` and ``alt`` text that says what it shows.

    The figure is rendered to PNG once and the bytes are reused for the notebook, the page and
    the file, so a report pays for each figure once.
    """

    figure: Figure
    titel: str
    alt: str
    _rendered: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def png(self, dpi: int = DPI) -> bytes:
        if dpi not in self._rendered:
            # Labels come from data: a "$" in a region or dimension name is text, never
            # mathtext (which would fail to render, or render something else). That holds for
            # the texts the figure has and for the tick labels its draw makes.
            from matplotlib import rc_context  # loaded by the figure already; see _matplotlib

            for text in _texts(self.figure):
                text.set_parse_math(False)
            with rc_context({"text.parse_math": False}):
                self._rendered[dpi] = render_png(self.figure, dpi)
        return self._rendered[dpi]

    def save(self, path: Path | str, dpi: int = DPI) -> Path:
        """Write the figure as PNG; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.png(dpi))
        return path

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        title = html.escape(self.titel)
        return (
            f'<figure class="utv-figur"><img src="data:image/png;base64,{data}" alt="{alt}" '
            f'style="max-width:100%;height:auto"><figcaption>{title}</figcaption></figure>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        # One image per figure in the notebook: HTML with alt text, and the alt text as plain
        # text for front ends that show no HTML.
        return {"text/html": self._repr_html_(), "text/plain": f"[Figur] {self.titel}: {self.alt}"}
