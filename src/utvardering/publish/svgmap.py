"""The landing page's map of the 21 län: each län links to its region page and is coloured by
the measure the reader chooses (maturity level, money per inhabitant, goal status), with a
legend and the list of län beside it.

The choice works without a script: one radio button per measure, and the style sheet
(``stil.css``) colours each län from the custom property of the checked measure, which each
län's shape carries (``style="--mognad: var(--utv-k2)"``). A län without a value for the
measure has no property and is grey; the legend says "saknas"."""

from __future__ import annotations

import bisect
import html
import itertools
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from utvardering.format import fmt_number, fmt_percent

__all__ = [
    "MEASURES",
    "MapMeasure",
    "goal_measure",
    "map_view_html",
    "maturity_measure",
    "money_measure",
    "region_map_svg",
]

_LAT0 = math.radians(62)

# The measures of the landing map, in the order of the selector; the style sheet has a rule
# for each key.
MEASURES = ("mognad", "stod", "mal")

# The palette has five steps, lightest first; a measure with fewer classes uses some of them.
PALETTE_STEPS = 5


@dataclass(frozen=True)
class MapMeasure:
    """One way to colour the map: ``values`` maps a län code to its palette step (1–5) and
    its value in words; ``legend`` is (palette step, label) per class, lightest first."""

    key: str
    label: str
    description: str
    legend: tuple[tuple[int, str], ...]
    values: dict[str, tuple[int, str]] = field(default_factory=dict)


def _steps(n: int) -> list[int]:
    """The palette steps for ``n`` classes, spread over the whole palette."""
    if n <= 1:
        return [PALETTE_STEPS]
    return [round(1 + i * (PALETTE_STEPS - 1) / (n - 1)) for i in range(n)]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def maturity_measure(files: Mapping[str, dict]) -> MapMeasure:
    """The maturity level (trappstegsnivå 1–5) from each län's ``mognad.json``."""
    values = {}
    rounds = Counter()
    for code, data in files.items():
        level = data.get("trappstegsniva")
        if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5:
            values[code] = (level, f"nivå {level}")
            rounds[data.get("omgang")] += 1
    when = ""
    if rounds:
        latest = rounds.most_common(1)[0][0]
        when = f", enkätomgång {latest}" if isinstance(latest, int) else ""
    return MapMeasure(
        "mognad",
        "Mognad",
        f"Mognadsbedömningens trappstegsnivå: den nivå (1–5) som alla dimensioner når{when}.",
        tuple((i, f"Nivå {i}") for i in range(1, 6)),
        values,
    )


def _nice(value: float) -> float:
    """A class boundary rounded to two significant digits."""
    if value <= 0:
        return 0.0
    unit = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / unit) * unit


def _breaks(values: list[float], classes: int = 5) -> list[float]:
    """Boundaries that split ``values`` into up to ``classes`` groups of about equal size."""
    ordered = sorted(values)
    breaks: list[float] = []
    for k in range(1, classes):
        cut = _nice(ordered[min(len(ordered) - 1, round(k * len(ordered) / classes))])
        if cut > ordered[0] and (not breaks or cut > breaks[-1]):
            breaks.append(cut)
    return breaks


def money_measure(files: Mapping[str, dict]) -> MapMeasure:
    """Granted money per inhabitant (every funding source) from each län's ``tema.json``."""
    raw: dict[str, float] = {}
    periods = Counter()
    for code, data in files.items():
        total = data.get("totalt")
        value = _number(total.get("kr_per_invanare")) if isinstance(total, dict) else None
        if value is not None and data.get("finansiering", "alla") == "alla":
            raw[code] = value
            period = data.get("period")
            if isinstance(period, list) and len(period) == 2:
                periods[tuple(period)] += 1
    breaks = _breaks(list(raw.values())) if raw else []
    steps = _steps(len(breaks) + 1)
    kr = [fmt_number(b) for b in breaks]
    if breaks:
        labels = [f"under {kr[0]} kr"]
        labels += [f"{a}–{b} kr" for a, b in itertools.pairwise(kr)]
        labels.append(f"{kr[-1]} kr eller mer")
    else:
        labels = [f"{fmt_number(v)} kr" for v in sorted(set(raw.values()))[:1]]
    values = {
        code: (steps[bisect.bisect_right(breaks, v)], f"{fmt_number(v)} kr")
        for code, v in raw.items()
    }
    years = ""
    if periods:
        first, last = periods.most_common(1)[0][0]
        years = f" till projekt som startade {first}–{last}"
    return MapMeasure(
        "stod",
        "Beviljade medel per invånare",
        f"Beviljade medel per invånare{years}, alla finansieringskällor (tematiska "
        "utvärderingen). Klasserna har ungefär lika många län.",
        tuple(zip(steps, labels, strict=False)),
        values,
    )


# The goal measure's classes: (palette step, label), and the share each starts at.
_GOAL_CLASSES = ((1, "inget RUS-mål på väg"), (2, "färre än hälften"), (4, "minst hälften"),
                 (5, "alla RUS-mål på väg"))  # fmt: skip


def goal_measure(files: Mapping[str, dict]) -> MapMeasure:
    """The share of the län's RUS goals on track (reached or heading the right way) from
    each län's ``malkedja.json``; a län without RUS goals has no value."""
    values = {}
    for code, data in files.items():
        status = data.get("status_rus")
        if not isinstance(status, dict):
            continue
        counts = {k: v for k, v in status.items() if isinstance(v, int) and v >= 0}
        total = sum(counts.values())
        if not total:
            continue
        on_track = counts.get("nas", 0) + counts.get("ratt_riktning", 0)
        share = on_track / total
        index = 0 if on_track == 0 else 3 if on_track == total else 1 if share < 0.5 else 2
        values[code] = (
            _GOAL_CLASSES[index][0],
            f"{on_track} av {total} ({fmt_percent(share)})",
        )
    return MapMeasure(
        "mal",
        "RUS-mål på väg",
        "Andelen av länets mål i den regionala utvecklingsstrategin (RUS) som nås eller går "
        "åt rätt håll (målkedjan). Län utan bedömda RUS-mål saknar värde.",
        _GOAL_CLASSES,
        values,
    )


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(_LAT0), -lat


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def region_map_svg(
    geo: dict,
    links: dict[str, str],
    classes: dict[str, str] | None = None,
    width: int = 320,
    measures: tuple[MapMeasure, ...] = (),
) -> str:
    """An inline SVG: one ``<a>`` per län to ``links[lan_kod]``, with its name as title.

    ``classes`` gives a CSS class per län so that the page can mark it; ``measures`` give
    each län a custom property per measure (``--mognad: var(--utv-k2)``) that the style sheet
    uses to colour the län by the chosen measure. Names come from the GeoJSON and are escaped.
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
        colours = ";".join(
            f"--{m.key}:var(--utv-k{m.values[code][0]})" for m in measures if code in m.values
        )
        style = f' style="{colours}"' if colours else ""
        data = "".join(
            f' data-{m.key}="{m.values[code][0] if code in m.values else "saknas"}"'
            for m in measures
        )
        shapes.append(
            f'<a href="{href}" aria-label="{name}"><path class="{css}" data-lan="{code}"'
            f'{data}{style} d="{" ".join(paths)}"><title>{name}</title></path></a>'
        )
    return (
        f'<svg class="utv-karta" viewBox="0 0 {width} {height:.0f}" width="{width}" '
        f'height="{height:.0f}" role="img" aria-label="Karta över Sveriges 21 län; välj ett '
        f'län för att öppna dess rapporter">{"".join(shapes)}</svg>'
    )


def _legend(measure: MapMeasure) -> str:
    items = "".join(
        f'<li><span class="utv-ruta" style="background:var(--utv-k{step})"></span>'
        f"{html.escape(label)}</li>"
        for step, label in measure.legend
    )
    items += '<li><span class="utv-ruta utv-ruta-saknas"></span>saknas</li>'
    return (
        f'<div class="utv-legend utv-visas-{measure.key}" data-matt="{measure.key}">'
        f'<p class="utv-legend-titel"><strong>{html.escape(measure.label)}</strong></p>'
        f'<ul>{items}</ul><p class="utv-legend-text">{html.escape(measure.description)}</p></div>'
    )


def map_view_html(
    geo: dict,
    names: Mapping[str, str],
    links: Mapping[str, str],
    measures: tuple[MapMeasure, ...],
    incomplete: frozenset[str] | set[str] = frozenset(),
    order: tuple[str, ...] = (),
) -> str:
    """The map with its measure selector and legend, and the list of län beside it with each
    län's value of the chosen measure. The first measure with any value is chosen at first."""
    chosen = next((m.key for m in measures if m.values), measures[0].key if measures else "")
    buttons = "".join(
        f'<label><input type="radio" name="utv-matt" id="utv-matt-{m.key}" value="{m.key}"'
        + (" checked" if m.key == chosen else "")
        + f"> {html.escape(m.label)}</label>"
        for m in measures
    )
    selector = (
        f'<fieldset class="utv-matt"><legend>Färga kartan efter</legend>{buttons}</fieldset>'
        if measures
        else ""
    )
    items = []
    for code in order or tuple(names):
        values = "".join(
            f'<span class="utv-matt-varde utv-visas-{m.key}">'
            f"{html.escape(m.values[code][1]) if code in m.values else 'saknas'}</span>"
            for m in measures
        )
        mark = ' <span class="utv-varning">(ofullständig)</span>' if code in incomplete else ""
        items.append(
            f'<li><a href="{html.escape(links[code], quote=True)}">{html.escape(names[code])}'
            f"</a>{mark}{values}</li>"
        )
    return (
        f'<div class="utv-kartvy">{selector}<div class="utv-karta-och-lista">'
        f'<div class="utv-kartdel">{region_map_svg(geo, dict(links), measures=measures)}'
        + "".join(_legend(m) for m in measures)
        + f'</div><ul class="utv-lanlista">{"".join(items)}</ul></div></div>'
    )
