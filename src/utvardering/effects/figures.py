"""Figures of the effect analysis: the chain figure, balance, overlap, event study, comparisons.

Every function takes finished results and returns a :class:`~utvardering.figures.Figur` with
a Swedish title and alt text; nothing is estimated here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from utvardering.effects.attainment import GoalAttainment
from utvardering.effects.design import (
    KEY_INDICATOR_AXES,
    KEY_INDICATOR_UNITS,
    OUTCOME_DEFINITE,
    STAGE_LABELS,
    SYNTH_START,
    synthetic_fit,
)
from utvardering.figures import FARGER, Figur, new_figure
from utvardering.format import counted, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.models import ChainModel
from utvardering.vocabulary import CHAIN_IDS, CHAIN_NAMES, INDICATOR_STAGES

__all__ = [
    "lower_first",
    "plot_balance",
    "plot_effect_chains",
    "plot_estimate_comparison",
    "plot_event_study",
    "plot_overlap",
    "plot_synthetic_control",
    "report_figures",
    "variable_label",
]

_CMAP = "cividis"
_WHITE_BLEND = 0.55  # lighten the fill so that black text stays readable
_SHORT_CHAIN = {
    "infrastruktur": "Infrastruktur",
    "kunskap": "Kunskap, strategier\noch planerings-\nunderlag",
    "varor_tjanster_indirekt": "Varor och tjänster\n(indirekt, via\nintermediärer)",
    "varor_tjanster_direkt": "Varor och tjänster\n(direkt till företag)",
}


def _fill(share: float) -> tuple[float, float, float, float]:
    r, g, b, _ = colormaps[_CMAP](share)
    w = _WHITE_BLEND
    return (r * (1 - w) + w, g * (1 - w) + w, b * (1 - w) + w, 1.0)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,(") + "…"


def _indicator_lines(table: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """One line per indicator: the summed (or mean) outcome and target of final reports."""
    lines = []
    for row in table.itertuples():
        if row.n_slutliga == 0:
            continue
        name = _short(names.get(row.indikator, row.indikator), 33)
        if row.enhet == "kr":
            value = f"{fmt_kr(row.utfall, 0)} (mål {fmt_kr(row.malvarde, 0)})"
        elif row.enhet == "procent":
            value = f"{fmt_number(row.utfall)} % (mål {fmt_number(row.malvarde)} %)"
        else:
            value = f"{fmt_number(row.utfall)} (mål {fmt_number(row.malvarde)})"
        lines.append(f"{name}: {value}")
    return lines


def _summary_lines(row: pd.Series) -> list[str]:
    if row["n_projekt"] == 0:
        return ["Inga projekt i den här kedjan"]
    lines = []
    if row["n_med_utfall"] > 0:
        lines.append(
            f"Når alla mål: {row['n_nar_malen']} av {row['n_med_utfall']} projekt; "
            f"median {fmt_percent(row['median_maluppfyllelse'])}"
        )
    else:
        lines.append("Inga slutliga utfall ännu")
    extra = []
    if row["n_utfall_saknas"] > 0:
        extra.append(_missing_phrase(row))
    if row["n_pagaende"] > 0:
        progress = row["median_framsteg"]
        shown = f", hittills {fmt_percent(progress)}" if not np.isnan(progress) else ""
        extra.append(f"pågående projekt: {row['n_pagaende']}{shown}")
    if extra:
        text = "; ".join(extra)
        lines.append(text[0].upper() + text[1:])
    return lines


# A stage after "10 av 15", in the alt text of the chain figure.
_STAGE_ALT = {
    "prestation": "för prestationerna",
    "kort_sikt": "för effekterna på kort sikt",
    "medellang_sikt": "för effekterna på medellång sikt",
}


def _missing_phrase(row: pd.Series) -> str:
    """Missing outcomes as values and projects: "saknade värden: 6, i 4 projekt"."""
    values, projects = int(row["n_utfall_saknas"]), int(row["n_projekt_utfall_saknas"])
    return (
        f"{counted(values, 'indikatorvärde saknas', 'indikatorvärden saknas')}, i "
        f"{fmt_number(projects)} projekt"
    )


def plot_effect_chains(
    attainment: GoalAttainment, chains: ChainModel, *, region_name: str
) -> Figur:
    """The four effect chains as rows of stage boxes with the region's goal attainment.

    As in Tillväxtverket's drawing of the chains, each chain runs from outputs (prestationer)
    through short- and medium-term effects to long-term effects; each box shows the stage's
    description, the summed outcome and target of each indicator (final reports; counts and
    kronor summed, percentages averaged), how many projects reached all their targets at the
    stage, the median attainment and missing or ongoing outcomes. The fill shows the share of
    projects reaching their targets (white with hatching: no final outcomes).
    """
    stages = list(INDICATOR_STAGES)
    names = {i.id: i.name for i in chains.indicators.values()}
    label_w, box_w, gap, long_w = 1.75, 3.3, 0.28, 1.25
    x_positions = [label_w + gap + i * (box_w + gap) for i in range(len(stages))]
    x_long = x_positions[-1] + box_w + gap
    width = x_long + long_w + 0.05
    figure = new_figure(13.0, 9.0)
    axes = figure.add_subplot()
    axes.set_xlim(0, width)
    axes.set_ylim(0, 10.0)
    axes.set_axis_off()
    row_h, top = 2.3, 9.45
    header_y = top + 0.3
    for x, stage in zip(x_positions, stages, strict=True):
        axes.text(
            x + box_w / 2,
            header_y,
            STAGE_LABELS[stage],
            ha="center",
            va="center",
            fontsize=10.5,
            fontweight="bold",
        )
    axes.text(
        x_long + long_w / 2,
        header_y,
        "Lång sikt",
        ha="center",
        va="center",
        fontsize=10.5,
        fontweight="bold",
        color="#666666",
    )
    alt_parts = []
    for k, chain_id in enumerate(CHAIN_IDS):
        y = top - (k + 1) * row_h + 0.12
        h = row_h - 0.24
        axes.text(
            label_w - 0.05,
            y + h / 2,
            _SHORT_CHAIN[chain_id],
            ha="right",
            va="center",
            fontsize=9.5,
            fontweight="bold",
        )
        chain = chains.chain(chain_id)
        chain_alt = []
        for j, (x, stage) in enumerate(zip(x_positions, stages, strict=True)):
            row = attainment.stage(chain_id, stage)
            share = row["andel_nar_malen"]
            empty = share is None or np.isnan(share)
            axes.add_patch(
                FancyBboxPatch(
                    (x, y),
                    box_w,
                    h,
                    boxstyle="round,pad=0,rounding_size=0.1",
                    facecolor="white" if empty else _fill(share),
                    edgecolor="#555555",
                    linewidth=0.8,
                    hatch="////" if empty else None,
                )
            )
            if empty:  # keep the hatching away from the text
                axes.add_patch(
                    FancyBboxPatch(
                        (x + 0.06, y + 0.06),
                        box_w - 0.12,
                        h - 0.12,
                        boxstyle="round,pad=0,rounding_size=0.08",
                        facecolor="white",
                        edgecolor="none",
                    )
                )
            description = chain.stages.get(stage, ("", ()))[0]
            wrapped = textwrap.wrap(description, 48)
            if len(wrapped) > 2:
                wrapped = [wrapped[0], _short(wrapped[1] + " " + wrapped[2], 47)]
            axes.text(
                x + 0.08,
                y + h - 0.08,
                "\n".join(wrapped),
                ha="left",
                va="top",
                fontsize=7.3,
                style="italic",
                color="#333333",
            )
            indicators = attainment.per_indicator
            indicators = indicators[
                (indicators["effektkedja"] == chain_id) & (indicators["steg"] == stage)
            ]
            axes.text(
                x + 0.08,
                y + h - 0.55,
                "\n".join(_indicator_lines(indicators, names)),
                ha="left",
                va="top",
                fontsize=7.3,
            )
            axes.text(
                x + 0.08,
                y + 0.08,
                "\n".join(_summary_lines(row)),
                ha="left",
                va="bottom",
                fontsize=7.8,
                fontweight="bold",
            )
            if j < len(stages) - 1:
                axes.annotate(
                    "",
                    xy=(x + box_w + gap - 0.02, y + h / 2),
                    xytext=(x + box_w + 0.02, y + h / 2),
                    arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 1.0},
                )
            if row["n_med_utfall"] > 0:
                who = "" if chain_alt else " projekt når alla mål"
                part = f"{row['n_nar_malen']} av {row['n_med_utfall']}{who} {_STAGE_ALT[stage]}"
                if row["n_utfall_saknas"] > 0:
                    part += f" ({_missing_phrase(row)})"
                chain_alt.append(part)
        axes.add_patch(
            FancyBboxPatch(
                (x_long, y),
                long_w,
                h,
                boxstyle="round,pad=0,rounding_size=0.1",
                facecolor="white",
                edgecolor=FARGER["gra"],
                linewidth=0.8,
                linestyle="--",
            )
        )
        axes.text(
            x_long + long_w / 2,
            y + h / 2,
            "Följs upp i\nutvärderingar,\ninte av\nprojekten",
            ha="center",
            va="center",
            fontsize=7.5,
            color="#555555",
        )
        n_chain = attainment.stage(chain_id, "prestation")["n_projekt"]
        if chain_alt:
            alt_parts.append(f"{CHAIN_NAMES[chain_id]} ({n_chain} projekt): " + listed(chain_alt))
        elif n_chain:
            alt_parts.append(f"{CHAIN_NAMES[chain_id]}: inga projekt med slutliga utfall")
        else:
            alt_parts.append(f"{CHAIN_NAMES[chain_id]}: inga projekt i länet")
    colorbar = figure.colorbar(
        ScalarMappable(Normalize(0, 1), colormaps[_CMAP]),
        ax=axes,
        orientation="horizontal",
        fraction=0.03,
        pad=0.01,
        aspect=50,
        shrink=0.45,
    )
    colorbar.set_label(
        "Färg: andel projekt som når alla sina mål i steget (vit med streck: inga slutliga utfall)",
        fontsize=8.5,
    )
    colorbar.ax.xaxis.set_major_formatter(lambda v, _: fmt_percent(v))
    colorbar.solids.set_alpha(1 - _WHITE_BLEND)
    colorbar.outline.set_visible(False)
    title = f"Måluppfyllelse längs effektkedjorna, {region_name}"
    axes.set_title(title, fontsize=12, loc="left")
    alt = (
        f"Effektkedjorna för projekten i {region_name} som rader av rutor från prestationer till "
        "effekt på medellång sikt, med indikatorernas utfall och mål och hur många projekt med "
        "slutrapport som nådde alla sina mål i varje steg. " + ". ".join(alt_parts) + "."
    )
    return Figur(figure, title, alt)


def plot_event_study(
    event_study: pd.DataFrame,
    *,
    outcome_name: str,
    unit: str,
    region_name: str,
    pretrend_p: float | None = None,
) -> Figur:
    """The event study: the effect by year relative to support, with 95 % intervals.

    ``event_study`` has ``event_time``, ``att``, ``ci_low`` and ``ci_high``. Years before
    support (grey) should lie around zero if the groups developed alike before support.
    """
    figure = new_figure(7.5, 4.3)
    axes = figure.add_subplot()
    table = event_study.sort_values("event_time")
    pre = table["event_time"] < 0
    for mask, colour, label in (
        (pre, FARGER["gra"], "Före stödet (bör ligga kring noll)"),
        (~pre, FARGER["bla"], "Efter stödet (effekten)"),
    ):
        part = table[mask]
        if part.empty:
            continue
        axes.errorbar(
            part["event_time"],
            part["att"],
            yerr=[part["att"] - part["ci_low"], part["ci_high"] - part["att"]],
            fmt="o",
            color=colour,
            ecolor=colour,
            capsize=3,
            markersize=5,
            label=label,
        )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.axvline(-0.5, color=FARGER["gra"], linestyle="--", linewidth=0.8)
    axes.set_xlabel("År i förhållande till första stödåret (0 = stödåret)")
    axes.set_ylabel(f"Effekt per stött företag ({unit})")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(lambda v, _: fmt_number(v, _decimals(table["ci_high"])))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8.5, loc="upper left")
    title = f"Effekten på {outcome_name} år för år kring stödet, {region_name}"
    axes.set_title(title, fontsize=11, loc="left")
    post = table[~pre]
    shown = 2 if unit == "anställda" else 0
    alt = (
        f"Punktdiagram med 95-procentiga osäkerhetsintervall: skattad effekt av stödet på "
        f"{outcome_name} för varje år från {fmt_number(int(table['event_time'].min()))} till "
        f"{fmt_number(int(table['event_time'].max()))} år i förhållande till stödåret."
    )
    if len(post):
        alt += (
            f" Efter stödet ligger effekten mellan {fmt_number(post['att'].min(), shown)} och "
            f"{fmt_number(post['att'].max(), shown)} {unit} per stött företag."
        )
    if pretrend_p is not None:
        alt += f" Testet av skillnader före stödet ger p = {fmt_number(pretrend_p, 2)}."
    return Figur(figure, title, alt)


def _decimals(values: pd.Series) -> int:
    size = float(np.nanmax(np.abs(values))) if len(values) else 1.0
    return 0 if size >= 20 else 1 if size >= 2 else 2


def plot_balance(balance: pd.DataFrame, *, region_name: str, outcome_name: str = "") -> Figur:
    """Standardised mean differences of the covariates before and after weighting.

    ``balance`` has ``variabel``, ``smd_fore`` and ``smd_efter``. The band marks |SMD| < 0.1,
    the usual limit for groups that are alike.
    """
    table = balance.iloc[::-1].reset_index(drop=True)
    figure = new_figure(7.0, 1.2 + 0.32 * len(table))
    axes = figure.add_subplot()
    y = np.arange(len(table))
    axes.axvspan(-0.1, 0.1, color=FARGER["gron"], alpha=0.12, linewidth=0)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.scatter(
        table["smd_fore"],
        y,
        marker="o",
        facecolors="white",
        edgecolors=FARGER["orange"],
        linewidths=1.5,
        label="Före viktning",
        zorder=3,
    )
    axes.scatter(
        table["smd_efter"], y, marker="s", color=FARGER["bla"], label="Efter viktning", zorder=3
    )
    axes.set_yticks(y, [variable_label(v) for v in table["variabel"]], fontsize=8.5)
    axes.set_xlabel("Standardiserad skillnad, stödda minus jämförelseföretag\n(grönt band: ±0,1)")
    axes.xaxis.set_major_formatter(lambda v, _: fmt_number(v, 1))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    what = f", {outcome_name}" if outcome_name else ""
    size = f", med storleken mätt som {outcome_name}" if outcome_name else ""
    title = f"Jämförbarhet före och efter viktning{what}, {region_name}"
    axes.set_title(title, fontsize=11, loc="left")
    worst_before = table.loc[table["smd_fore"].abs().idxmax()]
    alt = (
        "Punktdiagram över standardiserade skillnader mellan stödda och jämförelseföretag för "
        f"{len(table)} kännetecken före stödet{size}. Före viktning är den största skillnaden "
        f"{fmt_number(worst_before['smd_fore'], 2)}, för "
        f"{_short_variable(worst_before['variabel'])}; efter viktning är den största "
        f"{fmt_number(table['smd_efter'].abs().max(), 2)}."
    )
    return Figur(figure, title, alt)


def lower_first(text: str) -> str:
    """Lower-case the first letter, unless the first word is an abbreviation ("BRP")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _short_variable(name: str) -> str:
    """A balance variable in a sentence: "storleken före stödet", "bransch G"."""
    if str(name) == "log_storlek_fore":
        return "storleken före stödet"
    return lower_first(variable_label(name))


def variable_label(name: str) -> str:
    """A balance variable's Swedish label (industry dummies as "Bransch X")."""
    name = str(name)
    if name.startswith("C(sni)[T.") and name.endswith("]"):
        return f"Bransch {name[9:-1]}"
    if name.startswith("sni_"):
        return f"Bransch {name[4:]}"
    labels = {"log_storlek_fore": "Storlek före stödet (logaritmen av utfallet de två första åren)"}
    return labels.get(name, name)


def plot_overlap(propensity: pd.DataFrame, *, region_name: str, outcome_name: str = "") -> Figur:
    """Histograms of the propensity score of supported and comparison firms.

    ``propensity`` has ``p`` (the fitted probability of support) and ``stodd`` (0/1). Where
    only one group has firms, there is nobody to compare with.
    """
    figure = new_figure(7.0, 3.8)
    axes = figure.add_subplot()
    treated = propensity.loc[propensity["stodd"] == 1, "p"]
    control = propensity.loc[propensity["stodd"] == 0, "p"]
    # Zoom in on the scores that occur: with a national comparison group they are all small.
    top_score = min(1.0, max(float(propensity["p"].max()) * 1.05, 0.01))
    bins = np.linspace(0, top_score, 26)
    axes.hist(
        control,
        bins=bins,
        density=True,
        color=FARGER["orange"],
        alpha=0.6,
        label=f"Jämförelseföretag ({fmt_number(len(control))})",
    )
    axes.hist(
        treated,
        bins=bins,
        density=True,
        histtype="step",
        linewidth=2,
        color=FARGER["bla"],
        label=f"Stödda företag ({fmt_number(len(treated))})",
    )
    axes.set_xlabel("Skattad sannolikhet att få stöd (utifrån storlek och bransch)")
    axes.set_ylabel("Täthet")
    decimals = 0 if top_score >= 0.2 else 1 if top_score >= 0.02 else 2
    axes.xaxis.set_major_formatter(lambda v, _: fmt_percent(v, decimals))
    axes.set_xlim(0, top_score)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8.5)
    what = f", {outcome_name}" if outcome_name else ""
    size = f", med storleken mätt som {outcome_name}" if outcome_name else ""
    title = f"Överlapp mellan stödda och jämförelseföretag{what}, {region_name}"
    axes.set_title(title, fontsize=11, loc="left")
    top = float(control.max()) if len(control) else float("nan")
    outside = int((treated > top).sum()) if len(control) else len(treated)
    alt = (
        "Histogram över den skattade sannolikheten att få stöd för stödda företag och "
        f"jämförelseföretag{size}. Medianen är {fmt_percent(treated.median(), decimals)} för "
        "de stödda "
        f"och {fmt_percent(control.median(), decimals)} för jämförelseföretagen; "
        + (
            f"{counted(outside, 'stött företag', 'stödda företag')} har"
            if outside
            else "inget stött företag har"
        )
        + " högre sannolikhet än något jämförelseföretag."
    )
    return Figur(figure, title, alt)


def plot_estimate_comparison(
    estimates: Sequence, *, outcome_name: str, unit: str, region_name: str
) -> Figur:
    """The effect estimates with 95 % intervals and evidence grades, main estimate first.

    ``estimates`` are :class:`~utvardering.effects.report.EffectEstimate` (``name``,
    ``result`` with ``estimate`` and ``conf_int``, ``evidence.grade``, ``main``).
    """
    items = list(estimates)[::-1]
    figure = new_figure(8.0, 1.4 + 0.55 * len(items))
    axes = figure.add_subplot()
    for k, item in enumerate(items):
        est = item.result
        low, high = est.conf_int
        colour = (
            FARGER["bla"]
            if item.main
            else (FARGER["gron"] if item.evidence.grade != "C" else FARGER["rod"])
        )
        axes.errorbar(
            [est.estimate],
            [k],
            xerr=[[est.estimate - low], [high - est.estimate]],
            fmt="D" if item.main else "o",
            color=colour,
            capsize=4,
            markersize=7 if item.main else 5,
        )
    labels = [textwrap.fill(f"{item.name} [grad {item.evidence.grade}]", 46) for item in items]
    axes.set_yticks(range(len(items)), labels, fontsize=8.2)
    axes.axvline(0, color="black", linewidth=0.8)
    values = [i.result.estimate for i in items]
    decimals = _decimals(pd.Series(values))
    axes.xaxis.set_major_formatter(lambda v, _: fmt_number(v, decimals))
    axes.set_xlabel(f"Skattad effekt per stött företag ({unit}), med 95-procentigt intervall")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylim(-0.6, len(items) - 0.4)
    title = f"Effekten på {outcome_name} med olika metoder, {region_name}"
    axes.set_title(title, fontsize=11, loc="left")
    parts = [
        f"{item.name}: {fmt_number(item.result.estimate, 2 if unit == 'anställda' else 0)} {unit} "
        f"(grad {item.evidence.grade})"
        for item in estimates
    ]
    alt = (
        "Punkter med 95-procentiga intervall för effekten per stött företag enligt "
        f"{len(parts)} metoder. " + "; ".join(parts) + "."
    )
    return Figur(figure, title, alt)


def plot_synthetic_control(
    comparison, *, region_name: str, treatment_year: int, region_names: dict | None = None
) -> Figur:
    """A key indicator of the region and its synthetic comparison region over time.

    ``comparison`` is a :class:`~utvardering.effects.report.SyntheticComparison` (``name``,
    ``data`` with ``ar``, ``lan``, ``syntetisk``, ``result`` with ``weights``). Descriptive:
    the gap after the line is not an effect of the projects.
    """
    data = comparison.data
    figure = new_figure(7.0, 4.0)
    axes = figure.add_subplot()
    axes.plot(data["ar"], data["lan"], color=FARGER["bla"], linewidth=2, label=region_name)
    axes.plot(
        data["ar"],
        data["syntetisk"],
        color=FARGER["orange"],
        linewidth=2,
        linestyle="--",
        label="Syntetisk jämförelseregion (vägt snitt av andra län)",
    )
    axes.axvline(treatment_year - 0.5, color=FARGER["gra"], linestyle=":", linewidth=1)
    axes.text(
        treatment_year - 0.3,
        0.02,
        f"Programperioden\nbörjar {treatment_year}",
        transform=axes.get_xaxis_transform(),
        fontsize=8,
        color="#555555",
        va="bottom",
    )
    axes.set_xlabel("År")
    axes.set_ylabel(KEY_INDICATOR_AXES.get(comparison.indicator, comparison.name))
    axes.yaxis.set_major_formatter(lambda v, _: fmt_number(v, _decimals(data["lan"])))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8.5, loc="upper left")
    title = f"{comparison.name}: {region_name} och en syntetisk jämförelseregion (beskrivande)"
    axes.set_title(textwrap.fill(title, 70), fontsize=10.5, loc="left")
    weights = comparison.result.weights.sort_values(ascending=False)
    names = region_names or {}
    donors = [
        f"{names.get(k, k)} ({fmt_percent(v)})" for k, v in weights.head(3).items() if v > 0.005
    ]
    after = data[data["ar"] >= treatment_year]
    gap = float(comparison.result.att) if len(after) else float("nan")
    decimals = 0 if abs(float(data["lan"].mean())) >= 100 else 2
    unit = KEY_INDICATOR_UNITS.get(comparison.indicator, "")
    if fmt_number(abs(gap), decimals) == fmt_number(0.0, decimals):
        position = "i genomsnitt på samma nivå som"
    else:
        side = "över" if gap > 0 else "under"
        position = f"i genomsnitt {fmt_number(abs(gap), decimals)} {unit} {side}"
    before = data.loc[data["ar"] < treatment_year, "lan"]
    fit = synthetic_fit(
        gap,
        float(comparison.result.pre_rmspe),
        float(before.mean()) if len(before) else float("nan"),
    )
    reading = (
        "Jämförelsen är beskrivande och visar inte projektens effekt."
        if fit == "god"
        else (
            f"Före {treatment_year} var den typiska avvikelsen "
            f"{fmt_number(float(comparison.result.pre_rmspe), decimals)} {unit}, så jämförelsen "
            "säger inget om länets utveckling."
        )
    )
    alt = (
        f"Linjediagram över {lower_first(comparison.name)} i {region_name} "
        f"och i en syntetisk jämförelseregion från {int(data['ar'].min())} till "
        f"{int(data['ar'].max())}. Från {treatment_year} ligger {region_name} {position} "
        f"jämförelseregionen. Störst vikt i jämförelseregionen har {listed(donors)}. {reading}"
    )
    return Figur(figure, title, alt)


def report_figures(report, chains: ChainModel, lan: pd.DataFrame | None = None) -> dict[str, Figur]:
    """Every figure of an :class:`~utvardering.effects.report.EffectReport`, by file stem.

    The chain figure and the synthetic comparisons are drawn once; balance, overlap, event
    study and the comparison of methods once per outcome (stems ending in the outcome id).
    Figures whose data the report lacks (too few supported firms, a failed estimator) are left
    out. ``lan`` (the län table) names the donor regions of the synthetic comparisons.
    """
    where = report.region_name
    found = {"effekt_kedjor": plot_effect_chains(report.attainment, chains, region_name=where)}
    for item in report.effects:
        name, unit, key = item.name, item.unit, item.outcome
        definite = OUTCOME_DEFINITE[key]
        if item.estimates:
            found[f"effekt_jamforelse_{key}"] = plot_estimate_comparison(
                item.estimates, outcome_name=definite, unit=unit, region_name=where
            )
        if item.event_study is not None and len(item.event_study):
            found[f"effekt_handelsestudie_{key}"] = plot_event_study(
                item.event_study,
                outcome_name=definite,
                unit=unit,
                region_name=where,
                pretrend_p=item.pretrend_p,
            )
        if item.balance is not None and len(item.balance):
            found[f"effekt_balans_{key}"] = plot_balance(
                item.balance, region_name=where, outcome_name=name
            )
        if item.propensity is not None and len(item.propensity):
            found[f"effekt_overlapp_{key}"] = plot_overlap(
                item.propensity, region_name=where, outcome_name=name
            )
    names = dict(zip(lan["lan_kod"], lan["lan_namn"], strict=True)) if lan is not None else {}
    for comparison in report.synthetic:
        found[f"effekt_syntetisk_{comparison.indicator}"] = plot_synthetic_control(
            comparison, region_name=where, treatment_year=SYNTH_START, region_names=names
        )
    return found
