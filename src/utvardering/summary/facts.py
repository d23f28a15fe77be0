"""A region's facts: the numbers of its result files in a run, under fixed keys.

:func:`region_facts` reads the region's result files that :func:`~utvardering.synthesis.collect.
collect_results` let in (``mognad.json``, ``tema.json``, ``effekt.json``, ``malkedja.json``)
and names each number the summary and its recommendation rules use by a key
``<source>.<name>`` (a dimension, effect chain, step or goal adds a last part). Nothing is
recomputed from the data: every fact is a field of a result file, a sum or ratio of fields, or
a mean over the regions of the run.

A fact is absent from :attr:`Facts.values` when its report is missing from the run (not in, for
whatever reason: :attr:`Facts.missing`); it is present with the value ``None`` when the report
is in but the value is undefined (no answers, no population, no finished projects, …).

The keys (docs/sammanfattning.md has the same list in Swedish)::

    from mognad.json (source "mognad")
    mognad.omgang                       the survey round
    mognad.foregaende_omgang            the previous round (None if the first)
    mognad.inga_svar                    True when the region has no answers in the round
    mognad.lag_tillforlitlighet         True when fewer than three people answered
    mognad.n_respondenter               people who answered
    mognad.trappstegsniva               the step level (int 1-5 | None)
    mognad.trappstegsniva_foregaende    the step level of the previous round
    mognad.profilmedel                  the profile mean (mean of the dimension medians)
    mognad.profilmedel_foregaende       the profile mean of the previous round
    mognad.profilmedel_forandring       now minus previous (None if either is missing)
    mognad.rang_profilmedel             rank by profile mean among the regions (1 = highest)
    mognad.n_regioner                   regions with answers in the round
    mognad.dimensioner                  the dimension ids, in the model's order
    mognad.niva.<d>                     dimension d's level (median, float | None)
    mognad.uppnadd_niva.<d>             the level d reaches (median rounded down, int | None)
    mognad.riket_median.<d>             the median of the regions' levels in d
    mognad.namn.<d>                     d's name
    mognad.svagaste_dimension           the dimension with the lowest median (ties: the
                                        model's order); None without answers

    from tema.json (source "tema")
    tema.period                         [first, last] start year of the region's projects
                                        (the period asked for when it has none)
    tema.belopp_sek                     granted money in the region (kr, region's share)
    tema.projekt                        projects that concern the region (projekt_berorda)
    tema.projekt_andelsviktade          projects weighted by the region's share
    tema.kr_per_invanare                granted money per inhabitant
    tema.riket_kr_per_invanare          the same for the country
    tema.kr_per_invanare_kvot           region / country (None if either is missing)
    tema.riket_belopp_sek               granted money in the country (kr)
    tema.andel_av_riket                 tema.belopp_sek / tema.riket_belopp_sek (None if 0)
    tema.kedjor                         the effect chain codes, in the file's order
    tema.andel_belopp.<k>               chain k's share of the region's money (0-1 | None)
    tema.riket_andel_belopp.<k>         chain k's share of the country's money
    tema.kedjenamn.<k>                  chain k's Swedish name
    tema.storsta_avvikelse              the file's storsta_avvikelse (dict | None): the category
                                        whose share differs most from the country's

    from effekt.json (source "effekt"); <steg> is prestation, kort or medel (the file's steps
    prestation, kort_sikt and medellang_sikt)
    effekt.n_projekt                    projects with indicators (maluppfyllelse.n_projekt)
    effekt.n_avslutade                  of them with a final report
    effekt.n_avslutade_steg.<steg>      sum of n_avslutade over the step's rows (all chains)
    effekt.n_med_utfall.<steg>          sum of n_med_utfall (projects with final outcomes)
    effekt.n_nar_malen.<steg>           sum of n_nar_malen (projects reaching all goals)
    effekt.andel_avslutade_utfall_saknas.<steg>
                                        sum(n_projekt_utfall_saknas) / sum(n_avslutade);
                                        None when no project in the step is finished
    effekt.andel_nar_malen.<steg>       sum(n_nar_malen) / sum(n_med_utfall); None when 0
    effekt.kedjor_utan_medel_uppfoljning
                                        chains with projects in the region (a row with
                                        n_projekt > 0) but no final outcome at the step medel
    effekt.huvudskattningar             the main estimates: list of {utfall, namn (the
                                        outcome's name), metod, estimate, ci_low, ci_high,
                                        evidensgrad, enhet}
    effekt.basta_evidensgrad            the best grade among them ("A" | "B" | "C" | None)
    effekt.for_fa_stodda                too few supported firms for an estimate

    from tema.json and effekt.json together (source "effekt"; only when both are in)
    portfolj.kedjor_utan_medel_uppfoljning
                                        effekt.kedjor_utan_medel_uppfoljning, largest
                                        share of money first
    portfolj.andel_belopp_utan_medel_uppfoljning
                                        the sum of their tema.andel_belopp (0-1)

    from malkedja.json (source "malkedja")
    malkedja.har_mal                    the region has goals
    malkedja.n_rus                      RUS goals
    malkedja.n_rus_pa_vag               RUS goals with status nas or ratt_riktning
    malkedja.andel_rus_pa_vag           n_rus_pa_vag / n_rus (None without RUS goals)
    malkedja.n_rus_inte_pa_vag          RUS goals with status nas_inte or fel_riktning
    malkedja.n_rus_saknar_data          RUS goals with status saknar_data
    malkedja.mal_utan_projekt           regional goals no project goal lies under (ids)
    malkedja.n_mal_utan_projekt         their number
    malkedja.rus_utan_projekt           the RUS goals among them (ids)
    malkedja.mal                        every goal: list of {mal_id, niva, mal, status}
    malkedja.jamforelselan              the goal chain's peer regions (codes)

    peers and country
    jamforelse.lan                      the peer regions (source "lan" or "malkedja"): the
                                        other regions of the same riksområde (NUTS 2) in the
                                        lan table, every other region where the area has no
                                        other (Stockholm), as in the goal chain report;
                                        without the lan table the goal chain's peers, else
                                        every other region
    jamforelse.regel                    riksomrade | alla | malkedja
    jamforelse.profilmedel_medel        mean profile mean of the peers with answers in the
                                        run (source "mognad"; None if none)
    jamforelse.n_lan_profilmedel        how many peers that mean is over
    jamforelse.profilmedel_skillnad     the region's profile mean minus the peers' mean
    jamforelse.kr_per_invanare_medel    mean kr per inhabitant of the peers in the run
                                        (source "tema")
    jamforelse.n_lan_kr_per_invanare    how many peers that mean is over
    riket.profilmedel_medel             mean profile mean of every region with answers in
                                        the run (source "mognad")
    riket.n_lan_profilmedel             how many regions that mean is over
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from utvardering.goals.analysis import default_peers
from utvardering.models import MaturityModel
from utvardering.origin import SimulatedInput, merged
from utvardering.synthesis.collect import REPORTS, Inclusion, RunResults
from utvardering.vocabulary import LAN_CODES

__all__ = ["STEPS", "Facts", "peer_regions", "region_facts"]

# The effect-chain steps of the goal attainment facts: fact suffix -> the step codes of
# effekt.json's maluppfyllelse.per_steg that count for it.
STEPS: dict[str, tuple[str, ...]] = {
    "prestation": ("prestation",),
    "kort": ("kort_sikt", "kort"),
    "medel": ("medellang_sikt", "medel"),
}

# RUS goal statuses that count as on the way, and as off it.
ON_TRACK = ("nas", "ratt_riktning")
OFF_TRACK = ("nas_inte", "fel_riktning")

_GRADES = ("A", "B", "C")


@dataclass(frozen=True)
class Facts:
    """One region's facts from a run (see the module docstring for the keys)."""

    lan_kod: str
    lan_namn: str
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    included: tuple[str, ...]
    missing: Mapping[str, str]
    simulated: tuple[SimulatedInput, ...] = field(default=())

    def get(self, key: str, default: Any = None) -> Any:
        """The fact's value, or ``default`` when the fact is absent (its report is missing)."""
        return self.values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.values


class _Collector:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}

    def put(self, source: str, key: str, value: Any) -> None:
        self.values[key] = value
        self.sources[key] = source


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _mean(values: Iterable[float | None]) -> tuple[float | None, int]:
    found = [v for v in values if v is not None]
    return (sum(found) / len(found) if found else None), len(found)


def peer_regions(
    lan_kod: str, lan: pd.DataFrame | None = None, fallback: Iterable[str] | None = None
) -> tuple[tuple[str, ...], str]:
    """The peer regions and the rule that chose them, as in the goal chain report: the other
    regions of the same riksområde (``lan.nuts2_kod``), or every other region when the area
    has no other (``"alla"``). Without ``lan``: ``fallback`` (the goal chain's peers,
    ``"malkedja"``) if given, else every other region."""
    if lan is not None and {"lan_kod", "nuts2_kod"} <= set(lan.columns):
        return default_peers(lan, lan_kod)
    if fallback is not None:
        return tuple(c for c in fallback if c != lan_kod), "malkedja"
    return tuple(c for c in LAN_CODES if c != lan_kod), "alla"


def _maturity(c: _Collector, payload: Mapping[str, Any], model: MaturityModel | None) -> None:
    put = lambda key, value: c.put("mognad", key, value)  # noqa: E731
    for key in ("omgang", "foregaende_omgang", "inga_svar", "lag_tillforlitlighet"):
        put(f"mognad.{key}", payload.get(key))
    put("mognad.n_respondenter", payload.get("n_respondenter"))
    put("mognad.trappstegsniva", payload.get("trappstegsniva"))
    put("mognad.trappstegsniva_foregaende", payload.get("trappstegsniva_foregaende"))
    now = _number(payload.get("profilmedel"))
    before = _number(payload.get("profilmedel_foregaende"))
    put("mognad.profilmedel", now)
    put("mognad.profilmedel_foregaende", before)
    put("mognad.profilmedel_forandring", None if now is None or before is None else now - before)
    put("mognad.rang_profilmedel", payload.get("rang_profilmedel"))
    put("mognad.n_regioner", payload.get("n_regioner"))
    rows = {row["dimension"]: row for row in payload.get("dimensioner", [])}
    order = [d.id for d in model.dimensions] if model is not None else []
    order += [d for d in rows if d not in order]
    put("mognad.dimensioner", list(order))
    weakest, lowest = None, None
    for dim in order:
        row = rows.get(dim, {})
        median = _number(row.get("median", payload.get("nivaer", {}).get(dim)))
        name = row.get("namn")
        if name is None and model is not None:
            name = model.dimension(dim).name
        put(f"mognad.niva.{dim}", median)
        put(f"mognad.uppnadd_niva.{dim}", row.get("uppnadd_niva"))
        put(f"mognad.riket_median.{dim}", _number(row.get("riket_median")))
        put(f"mognad.namn.{dim}", name)
        if median is not None and (lowest is None or median < lowest):
            weakest, lowest = dim, median
    put("mognad.svagaste_dimension", weakest)


def _portfolio(c: _Collector, payload: Mapping[str, Any]) -> None:
    put = lambda key, value: c.put("tema", key, value)  # noqa: E731
    total, country = payload.get("totalt", {}), payload.get("riket", {})
    # The start years of the region's projects (the period asked for is often wider than the
    # projects in the data): "projekt som startade 2014–2016" says what the money covers.
    started = [
        row["start_ar"]
        for row in payload.get("per_startar") or []
        if isinstance(row, dict)
        and isinstance(row.get("start_ar"), int)
        and row.get("projekt_berorda")
    ]
    period = [min(started), max(started)] if started else list(payload.get("period", []))
    put("tema.period", period)
    put("tema.belopp_sek", _number(total.get("belopp_sek")))
    put("tema.projekt", total.get("projekt_berorda"))
    put("tema.projekt_andelsviktade", _number(total.get("projekt_andelsviktade")))
    own = _number(total.get("kr_per_invanare"))
    whole = _number(country.get("kr_per_invanare"))
    put("tema.kr_per_invanare", own)
    put("tema.riket_kr_per_invanare", whole)
    put("tema.kr_per_invanare_kvot", _ratio(own, whole))
    money, country_money = _number(total.get("belopp_sek")), _number(country.get("belopp_sek"))
    put("tema.riket_belopp_sek", country_money)
    put("tema.andel_av_riket", _ratio(money, country_money))
    chains = payload.get("fordelning", {}).get("effektkedja", [])
    put("tema.kedjor", [row["kategori"] for row in chains])
    for row in chains:
        code = row["kategori"]
        put(f"tema.andel_belopp.{code}", _number(row.get("andel_belopp")))
        put(f"tema.riket_andel_belopp.{code}", _number(row.get("riket_andel_belopp")))
        put(f"tema.kedjenamn.{code}", row.get("namn", code))
    put("tema.storsta_avvikelse", payload.get("storsta_avvikelse"))


def _effects(c: _Collector, payload: Mapping[str, Any]) -> None:
    put = lambda key, value: c.put("effekt", key, value)  # noqa: E731
    attainment = payload.get("maluppfyllelse", {})
    rows = attainment.get("per_steg", [])
    put("effekt.n_projekt", attainment.get("n_projekt"))
    put("effekt.n_avslutade", attainment.get("n_avslutade"))
    for step, codes in STEPS.items():
        part = [row for row in rows if row["steg"] in codes]
        finished = sum(int(row.get("n_avslutade", 0) or 0) for row in part)
        missing = sum(int(row.get("n_projekt_utfall_saknas", 0) or 0) for row in part)
        with_outcome = sum(int(row.get("n_med_utfall", 0) or 0) for row in part)
        reaching = sum(int(row.get("n_nar_malen", 0) or 0) for row in part)
        put(f"effekt.n_avslutade_steg.{step}", finished)
        put(f"effekt.n_med_utfall.{step}", with_outcome)
        put(f"effekt.n_nar_malen.{step}", reaching)
        put(f"effekt.andel_avslutade_utfall_saknas.{step}", _ratio(missing, finished))
        put(f"effekt.andel_nar_malen.{step}", _ratio(reaching, with_outcome))
    chains = list(dict.fromkeys(r["effektkedja"] for r in rows if (r.get("n_projekt") or 0) > 0))
    final = {
        chain: sum(
            int(r.get("n_med_utfall", 0) or 0)
            for r in rows
            if r["effektkedja"] == chain and r["steg"] in STEPS["medel"]
        )
        for chain in chains
    }
    put("effekt.kedjor_utan_medel_uppfoljning", [k for k in chains if final[k] == 0])
    names = {row["utfall"]: row for row in payload.get("per_utfall", [])}
    main = []
    for row in payload.get("skattningar", []):
        if not row.get("huvudskattning"):
            continue
        outcome = names.get(row["utfall"], {})
        main.append(
            {
                "utfall": row["utfall"],
                "namn": outcome.get("namn", row["utfall"]),
                "metod": row.get("namn"),
                "estimate": _number(row.get("estimate")),
                "ci_low": _number(row.get("ci_low")),
                "ci_high": _number(row.get("ci_high")),
                "evidensgrad": row.get("evidensgrad"),
                "enhet": outcome.get("enhet"),
            }
        )
    put("effekt.huvudskattningar", main)
    grades = [m["evidensgrad"] for m in main if m["evidensgrad"] in _GRADES]
    put("effekt.basta_evidensgrad", min(grades, key=_GRADES.index) if grades else None)
    put("effekt.for_fa_stodda", bool(payload.get("for_fa_stodda", False)))


def _followed_up(c: _Collector) -> None:
    chains = c.values["effekt.kedjor_utan_medel_uppfoljning"]
    shares = {k: c.values.get(f"tema.andel_belopp.{k}") or 0.0 for k in chains}
    ordered = sorted(chains, key=lambda k: -shares[k])  # stable: ties keep the file's order
    c.put("effekt", "portfolj.kedjor_utan_medel_uppfoljning", ordered)
    c.put("effekt", "portfolj.andel_belopp_utan_medel_uppfoljning", sum(shares.values()))


def _goals(c: _Collector, payload: Mapping[str, Any]) -> None:
    put = lambda key, value: c.put("malkedja", key, value)  # noqa: E731
    status = payload.get("status_rus", {})
    n_rus = int(payload.get("antal_mal", {}).get("rus", 0) or 0)
    on_track = sum(int(status.get(s, 0) or 0) for s in ON_TRACK)
    goals = payload.get("mal", [])
    level = {g["mal_id"]: g["niva"] for g in goals}
    unserved = list(payload.get("mal_utan_projekt", []))
    put("malkedja.har_mal", bool(payload.get("har_mal", False)))
    put("malkedja.n_rus", n_rus)
    put("malkedja.n_rus_pa_vag", on_track)
    put("malkedja.andel_rus_pa_vag", _ratio(on_track, n_rus))
    put("malkedja.n_rus_inte_pa_vag", sum(int(status.get(s, 0) or 0) for s in OFF_TRACK))
    put("malkedja.n_rus_saknar_data", int(status.get("saknar_data", 0) or 0))
    put("malkedja.mal_utan_projekt", unserved)
    put("malkedja.n_mal_utan_projekt", len(unserved))
    put("malkedja.rus_utan_projekt", [g for g in unserved if level.get(g) == "rus"])
    put(
        "malkedja.mal",
        [{k: g.get(k) for k in ("mal_id", "niva", "mal", "status")} for g in goals],
    )
    put("malkedja.jamforelselan", list(payload.get("jamforelselan", [])))


def _comparison(
    c: _Collector, run: RunResults, lan_kod: str, peers: tuple[str, ...], rule: str, source: str
) -> None:
    c.put(source, "jamforelse.lan", list(peers))
    c.put(source, "jamforelse.regel", rule)
    maturity = run.results.get("mognad", {})
    if "mognad.profilmedel" in c.values:
        mean, n = _mean(_number(maturity[p].get("profilmedel")) for p in peers if p in maturity)
        own = c.values["mognad.profilmedel"]
        c.put("mognad", "jamforelse.profilmedel_medel", mean)
        c.put("mognad", "jamforelse.n_lan_profilmedel", n)
        c.put(
            "mognad",
            "jamforelse.profilmedel_skillnad",
            None if own is None or mean is None else own - mean,
        )
        mean, n = _mean(_number(p.get("profilmedel")) for p in maturity.values())
        c.put("mognad", "riket.profilmedel_medel", mean)
        c.put("mognad", "riket.n_lan_profilmedel", n)
    portfolio = run.results.get("tema", {})
    if "tema.kr_per_invanare" in c.values:
        mean, n = _mean(
            _number(portfolio[p].get("totalt", {}).get("kr_per_invanare"))
            for p in peers
            if p in portfolio
        )
        c.put("tema", "jamforelse.kr_per_invanare_medel", mean)
        c.put("tema", "jamforelse.n_lan_kr_per_invanare", n)


def region_facts(
    run: RunResults,
    lan_kod: str,
    model: MaturityModel | None = None,
    lan: pd.DataFrame | None = None,
) -> Facts:
    """The facts of region ``lan_kod`` in ``run`` (see the module docstring for the keys).

    ``model`` gives the dimensions' order (for the weakest dimension's ties) and names;
    ``lan`` (the data table) the region's name and its peers.
    """
    c = _Collector()
    included: list[str] = []
    missing: dict[str, str] = {}
    for report in REPORTS:
        status = (
            str(run.status.loc[lan_kod, report])
            if lan_kod in run.status.index and report in run.status.columns
            else Inclusion.NOT_RUN.value
        )
        if status == Inclusion.INCLUDED.value and lan_kod in run.results.get(report, {}):
            included.append(report)
        else:
            missing[report] = (
                Inclusion.NO_FILE.value if status == Inclusion.INCLUDED.value else status
            )
    payloads = {report: run.results[report][lan_kod] for report in included}
    if "mognad" in payloads:
        _maturity(c, payloads["mognad"], model)
    if "tema" in payloads:
        _portfolio(c, payloads["tema"])
    if "effekt" in payloads:
        _effects(c, payloads["effekt"])
        if "tema" in payloads:
            _followed_up(c)
    if "malkedja" in payloads:
        _goals(c, payloads["malkedja"])
    fallback = payloads["malkedja"].get("jamforelselan") if "malkedja" in payloads else None
    peers, rule = peer_regions(lan_kod, lan, fallback)
    _comparison(c, run, lan_kod, peers, rule, "malkedja" if rule == "malkedja" else "lan")
    simulated = merged(
        *(
            (SimulatedInput.from_dict(item) for item in payload.get("simulerade_indata", []))
            for payload in payloads.values()
        )
    )
    return Facts(
        lan_kod=lan_kod,
        lan_namn=_region_name(lan_kod, lan, payloads),
        values=c.values,
        sources=c.sources,
        included=tuple(included),
        missing=missing,
        simulated=simulated,
    )


def _region_name(
    lan_kod: str, lan: pd.DataFrame | None, payloads: Mapping[str, Mapping[str, Any]]
) -> str:
    if lan is not None and "lan_namn" in lan.columns:
        names = lan.loc[lan["lan_kod"].astype(str) == lan_kod, "lan_namn"]
        if len(names):
            return str(names.iloc[0])
    for payload in payloads.values():
        if payload.get("lan_namn"):
            return str(payload["lan_namn"])
    return f"Län {lan_kod}"
