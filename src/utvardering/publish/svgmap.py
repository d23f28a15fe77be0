"""A clickable SVG map of the 21 län: each län links to its region page."""

from __future__ import annotations

import html
import math

__all__ = ["region_map_svg"]

_LAT0 = math.radians(62)


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(_LAT0), -lat


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def region_map_svg(
    geo: dict, links: dict[str, str], classes: dict[str, str] | None = None, width: int = 320
) -> str:
    """An inline SVG: one ``<a>`` per län to ``links[lan_kod]``, with its name as title.

    ``classes`` gives a CSS class per län (e.g. ``lan-misslyckad`` for a failed region) so that
    the page can colour it; names come from the GeoJSON and are escaped.
    """
    classes = classes or {}
    shapes = []
    xs, ys = [], []
    for feature in geo["features"]:
        for ring in _rings(feature["geometry"]):
            for lon, lat in ring:
                x, y = _project(lon, lat)
                xs.append(x)
                ys.append(y)
    x0, y0 = min(xs), min(ys)
    scale = width / (max(xs) - x0)
    height = (max(ys) - y0) * scale
    for feature in sorted(geo["features"], key=lambda f: f["properties"]["lan_kod"]):
        code = feature["properties"]["lan_kod"]
        name = html.escape(str(feature["properties"].get("lan_namn", code)))
        paths = []
        for ring in _rings(feature["geometry"]):
            points = [_project(lon, lat) for lon, lat in ring]
            d = "M" + "L".join(f"{(x - x0) * scale:.1f},{(y - y0) * scale:.1f}" for x, y in points)
            paths.append(d + "Z")
        css = html.escape(" ".join(["lan", classes.get(code, "")]).strip(), quote=True)
        href = html.escape(links.get(code, "#"), quote=True)
        shapes.append(
            f'<a href="{href}" aria-label="{name}"><path class="{css}" d="{" ".join(paths)}">'
            f"<title>{name}</title></path></a>"
        )
    return (
        f'<svg class="utv-karta" viewBox="0 0 {width} {height:.0f}" width="{width}" '
        f'height="{height:.0f}" role="img" aria-label="Karta över Sveriges 21 län; välj ett '
        f'län för att öppna dess rapporter">{"".join(shapes)}</svg>'
    )
