"""A map of the 21 län from the shipped GeoJSON, coloured by a value per län (no internet)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from utvardering.figures.base import FARGER, Figur, new_figure
from utvardering.format import fmt_number

__all__ = ["plot_lan_map"]


def _polygons(geometry: dict) -> list[np.ndarray]:
    if geometry["type"] == "Polygon":
        return [np.asarray(geometry["coordinates"][0])]
    return [np.asarray(polygon[0]) for polygon in geometry["coordinates"]]


def plot_lan_map(
    values: pd.Series,
    geo: dict,
    *,
    titel: str,
    etikett: str,
    format: Callable[[float], str] = fmt_number,
    cmap: str = "viridis",
    nivaer: list[int] | None = None,
    markera: str | None = None,
) -> Figur:
    """Colour each län by ``values`` (indexed by ``lan_kod``); län without a value are grey.

    ``nivaer`` makes the scale discrete (e.g. maturity levels 1-5); ``markera`` outlines one
    län. The alt text names the highest and lowest län, so the message survives without sight.
    """
    # matplotlib is imported where a figure is made; see figures.base._matplotlib
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize

    figure = new_figure(4.2, 6.4)
    axes = figure.add_subplot()
    values = values.dropna()
    if nivaer:
        colours = colormaps[cmap].resampled(len(nivaer))
        norm = BoundaryNorm([n - 0.5 for n in nivaer] + [nivaer[-1] + 0.5], len(nivaer))
        cmap_obj = ListedColormap(colours(range(len(nivaer))))
    else:
        low, high = (values.min(), values.max()) if len(values) else (0.0, 1.0)
        norm = Normalize(low, high if high > low else low + 1)
        cmap_obj = colormaps[cmap]
    shapes, faces, edges, widths, blank = [], [], [], [], []
    names: dict[str, str] = {}
    for feature in geo["features"]:
        code = feature["properties"]["lan_kod"]
        names[code] = feature["properties"].get("lan_namn", code)
        value = values.get(code)
        for ring in _polygons(feature["geometry"]):
            if value is None:
                blank.append(ring)
                continue
            shapes.append(ring)
            faces.append(cmap_obj(norm(value)))
            edges.append("black" if code == markera else "white")
            widths.append(1.6 if code == markera else 0.4)
    axes.add_collection(
        PolyCollection(shapes, facecolors=faces, edgecolors=edges, linewidths=widths)
    )
    if blank:  # no value: white with grey hatching, distinct from every colour of the scale
        axes.add_collection(
            PolyCollection(
                blank, facecolors="white", edgecolors=FARGER["gra"], linewidths=0.5, hatch="////"
            )
        )
    axes.autoscale_view()
    axes.set_aspect(1 / math.cos(math.radians(62)))  # equirectangular at Sweden's latitude
    axes.set_axis_off()
    axes.set_title(titel, fontsize=11)
    mappable = figure.colorbar(
        ScalarMappable(norm, cmap_obj), ax=axes, shrink=0.6, label=etikett, ticks=nivaer
    )
    mappable.outline.set_visible(False)
    if len(values):
        top, bottom = values.idxmax(), values.idxmin()
        alt = (
            f"Karta över Sveriges 21 län färgade efter {etikett.lower()}. Högst: "
            f"{names.get(top, top)} ({format(values[top])}); lägst: {names.get(bottom, bottom)} "
            f"({format(values[bottom])})."
        )
        missing = sorted(set(names) - set(values.index))
        if missing:
            alt += " Utan värde (vit med grå streck): " + ", ".join(names[m] for m in missing) + "."
    else:
        alt = f"Karta över Sveriges 21 län; inget län har något värde för {etikett.lower()}."
    return Figur(figure, titel, alt)
