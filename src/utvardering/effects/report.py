"""The effect report of one region: comparison data, estimates, diagnostics and grades.

:func:`effect_report` is what the notebook ``effektanalys.ipynb`` calls. It builds the region's
comparison data from the firm panel once, runs the estimators of :mod:`utvardering.effects` for
each outcome (``utfall``: by default all three) on it, grades every estimate with the evidence
rubric and collects it all, with the warnings, in one frozen :class:`EffectReport`. Figures
and text take the report and never re-estimate.

Design choices (documented in the report's text too):

* **Funding scope** (``finansiering``): goal attainment counts only the projects with the
  funding source, and the supported firms are only those whose project is among them.
* **Supported firms** are the region's firms with a first support year (*första stödår*).
  Firms supported in other regions, or through projects outside the funding scope, are left
  out (they are no comparison firms either).
* **Comparison firms** are never-supported firms. ``jamforelse="lan"`` takes them from the
  region itself, so that regional shocks (a closure, the local labour market) hit both groups;
  ``"riket"`` takes them from the whole country, which gives many more comparison firms per
  industry but does not difference away what happens only in the region (the evidence grade is
  lowered one step for it). ``"auto"`` (the default) uses the region when it has at least
  ``MIN_CONTROLS_PER_INDUSTRY`` never-supported firms in every industry with supported firms,
  otherwise the whole country, and says so in a warning.
* **The main estimate** is Callaway & Sant'Anna's staggered difference-in-differences with
  never-supported comparison firms, conditioning on industry (SNI section): parallel trends are
  assumed only within industry, because support goes more often to firms in growing industries.
* **Naive comparisons** shown beside it: two-way fixed effects without industry (static, all
  firms), and before/after for the supported firms alone. They are graded C.
* **Inverse probability weighting** (ATT weights) of the long change (last year minus the mean
  of the first two years) with a logit on the logarithm of the size in the first two years
  and industry: a second estimate (design "medel") and the source of the balance table and
  the overlap plot. Its balance after weighting also enters the main estimate's grade, as the
  measure of whether comparable firms exist.
* **Synthetic comparison region** for the region's key indicators (BRP per inhabitant, new
  firms per 1000 inhabitants), with the start of the ERDF period 2014 as "treatment": a
  descriptive picture of the region's development, never an effect of the projects.

:func:`build` is the report protocol's entry (:mod:`utvardering.protocol`): the report and its
figures. This module writes numbers and codes only; :mod:`utvardering.effects.text` words
them (method names, the grades' justifications, the warnings as :class:`~.notes.Note`).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from utvardering.effects.attainment import GoalAttainment, goal_attainment
from utvardering.effects.design import (
    ALL_OUTCOMES,
    COMPARISONS,
    FEW_TREATED,
    KEY_INDICATORS,
    MIN_CONTROLS_PER_INDUSTRY,
    MIN_TREATED,
    OUTCOMES,
    SYNTH_START,
)
from utvardering.effects.did import did
from utvardering.effects.evidence import EvidenceGrade, grade_evidence
from utvardering.effects.figures import report_figures
from utvardering.effects.ipw import ipw
from utvardering.effects.notes import Note, NoteCode
from utvardering.effects.parameters import EffectParameters
from utvardering.effects.results import Estimate, EstimationWarning
from utvardering.effects.sections import SECTIONS, section_blocks
from utvardering.effects.staggered import staggered_did
from utvardering.effects.synth import synthetic_control
from utvardering.effects.text import METHOD_NAMES, justification, warning_texts
from utvardering.errors import EstimationError
from utvardering.figures import Figur
from utvardering.funding import select_funding
from utvardering.protocol import Report, save_figures

__all__ = [
    "COMPARISONS",
    "KEY_INDICATORS",
    "MIN_CONTROLS_PER_INDUSTRY",
    "MIN_TREATED",
    "OUTCOMES",
    "SYNTH_START",
    "EffectEstimate",
    "EffectReport",
    "OutcomeEffects",
    "SyntheticComparison",
    "build",
    "comparison_firms",
    "comparison_panel",
    "effect_report",
    "industry_dummies",
    "results_payload",
]

log = logging.getLogger(__name__)

Comparison = Literal["auto", "lan", "riket"]


@dataclass(frozen=True)
class EffectEstimate:
    """One estimate of the effect with its method, Swedish name, role and evidence grade."""

    method: str  # short id, e.g. "staggered_did"
    name: str  # Swedish name of the method
    result: Any  # the estimator's Estimate
    evidence: EvidenceGrade
    main: bool = False  # the report's main estimate


@dataclass(frozen=True)
class SyntheticComparison:
    """A key indicator of the region against its synthetic comparison region (descriptive)."""

    indicator: str
    name: str
    result: Any  # SyntheticControlResult
    data: pd.DataFrame  # ar, lan (the region's value), syntetisk (the synthetic value)
    evidence: EvidenceGrade
    notes: tuple[Note, ...] = ()  # the estimator's warnings about this indicator


@dataclass(frozen=True)
class OutcomeEffects:
    """The estimates of the support's effect on one outcome of the firm panel.

    ``notes`` are this outcome's warnings (each tagged with the outcome); the report's
    ``notes`` hold them too, after the warnings about the comparison data.
    """

    outcome: str  # a column of the firm panel, see OUTCOMES
    region_name: str
    comparison: str  # the comparison actually used: "lan" or "riket"
    n_supported: int
    n_comparison: int
    supported_by_industry: pd.DataFrame  # sni, stodda, jamforelse
    estimates: tuple[EffectEstimate, ...] = ()
    event_study: pd.DataFrame | None = None  # event_time, att, se, ci_low, ci_high
    pretrend_p: float | None = None
    staggered: Any | None = None  # the StaggeredResult of the main estimate
    ipw: Any | None = None  # the IPW result (balance, weights, propensity)
    balance: pd.DataFrame | None = None  # variabel, smd_fore, smd_efter (IPW balance)
    propensity: pd.DataFrame | None = None  # p (propensity score), stodd (0/1), one per firm
    notes: tuple[Note, ...] = ()

    @property
    def name(self) -> str:
        """The outcome's Swedish name, e.g. "antal anställda"."""
        return OUTCOMES[self.outcome][0]

    @property
    def unit(self) -> str:
        """The outcome's unit, e.g. "anställda" or "tkr"."""
        return OUTCOMES[self.outcome][1]

    @property
    def too_few_supported(self) -> bool:
        """True when the region has too few supported firms for an effect estimate."""
        return self.n_supported < MIN_TREATED

    @property
    def main_estimate(self) -> EffectEstimate | None:
        """The main estimate (staggered difference-in-differences), None if it failed."""
        return next((e for e in self.estimates if e.main), None)


@dataclass(frozen=True)
class EffectReport(Report):
    """Everything the effect report shows for one region, its outcomes and funding scope;
    built once.

    The comparison data (which firms, from where) are the same for every outcome and made
    once; ``effects`` holds one :class:`OutcomeEffects` per outcome, in the report's order.
    ``notes`` are the warnings as :class:`~utvardering.effects.notes.Note` codes; ``params``
    default to the report's own region, outcomes, comparison choice and funding scope;
    ``figures`` (file stem → figure) are made by :func:`build`.
    """

    TYPE_NAME: ClassVar[str] = "effekt"
    SECTIONS: ClassVar[Mapping[str, str]] = SECTIONS

    lan_kod: str
    region_name: str
    funding: str  # the parameter finansiering: "alla", "eruf" or "anslag_1_1"
    comparison: str  # the comparison actually used: "lan" or "riket"
    comparison_requested: str  # the parameter jamforelse: "auto", "lan" or "riket"
    attainment: GoalAttainment
    n_supported: int  # supported firms of the region in the estimation data
    n_comparison: int  # never-supported comparison firms
    n_outside_scope: int  # supported firms of the region whose project is outside the scope
    supported_by_industry: pd.DataFrame  # sni, stodda, jamforelse
    effects: tuple[OutcomeEffects, ...]
    synthetic: tuple[SyntheticComparison, ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)
    params: EffectParameters | None = None
    figures: Mapping[str, Figur] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.params is None:
            own = EffectParameters(
                self.lan_kod, self.outcomes, self.comparison_requested, self.funding
            )
            object.__setattr__(self, "params", own)

    def _section(self, name: str) -> list:
        return section_blocks(self, name, self.figures)

    def save(self, directory: Path | str) -> dict[str, str]:
        """Save the figures as ``<stem>.png``; returns stem → file name."""
        return save_figures(self.figures, directory)

    def payload(self) -> dict[str, Any]:
        return results_payload(self)

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcomes run, in the report's order."""
        return tuple(e.outcome for e in self.effects)

    @property
    def too_few_supported(self) -> bool:
        """True when the region has too few supported firms for an effect estimate."""
        return self.n_supported < MIN_TREATED

    @property
    def simulated_panel(self) -> bool:
        """True when the firm panel is simulated (the data folder's datakallor.yaml says so)."""
        return any(i.tabell == "foretagspanel" for i in self.simulated_inputs)

    def effect(self, outcome: str) -> OutcomeEffects:
        """The estimates for ``outcome`` (one of the outcomes run)."""
        for item in self.effects:
            if item.outcome == outcome:
                return item
        raise KeyError(outcome)


def comparison_firms(
    panel: pd.DataFrame,
    lan_kod: str,
    *,
    jamforelse: Comparison = "auto",
    projects: Collection[str] | None = None,
) -> tuple[pd.DataFrame, str, list[Note], int]:
    """The region's supported firms and the never-supported comparison firms, every outcome.

    Only firms observed in every year of the panel are kept: the staggered estimator needs a
    balanced panel, and all estimators should see the same firms (firms founded during the
    period are left out). ``projects`` (project ids, None for all) is the funding scope: a
    supported firm counts only when its project (``arende_id``) is in it; the region's other
    supported firms are left out, and are no comparison firms either. Returns the data
    (``foretag_id``, ``lan_kod``, ``sni``, ``ar``, the outcome columns, ``forsta_stodar``
    (0 = never supported), ``stodd`` (ever supported, 0/1) and ``behandlad`` (supported this
    year or earlier, 0/1)), the comparison actually used (``"lan"`` or ``"riket"``), notes
    about the choice and the number of the region's supported firms outside the scope.
    """
    checked = EffectParameters.check(lan_kod=lan_kod, jamforelse=jamforelse)
    lan_kod = checked.lan_kod
    years = panel.groupby("foretag_id")["ar"].count()
    complete = years.index[years == panel["ar"].nunique()]
    panel = panel[panel["foretag_id"].isin(complete)]
    first = panel["forsta_stodar"]
    treated = (panel["lan_kod"] == lan_kod) & first.notna()
    n_outside = 0
    if projects is not None:
        outside = treated & ~panel["arende_id"].isin(set(projects))
        n_outside = int(panel.loc[outside, "foretag_id"].nunique())
        treated = treated & ~outside
    never = first.isna()
    notes: list[Note] = []
    used = jamforelse
    if jamforelse == "auto":
        supported_sni = set(panel.loc[treated, "sni"])
        region = panel[(panel["lan_kod"] == lan_kod) & never].drop_duplicates("foretag_id")
        controls = region["sni"].value_counts()
        thin = sorted(s for s in supported_sni if controls.get(s, 0) < MIN_CONTROLS_PER_INDUSTRY)
        used = "riket" if thin else "lan"
        if thin:
            notes.append(Note.of(NoteCode.COUNTRY_COMPARISON, industries=thin))
    control = never & ((panel["lan_kod"] == lan_kod) if used == "lan" else True)
    control_sni = set(panel.loc[control, "sni"])
    orphan = treated & ~panel["sni"].isin(control_sni)
    if orphan.any():
        lost = panel.loc[orphan, "foretag_id"].nunique()
        industries = sorted(set(panel.loc[orphan, "sni"]))
        notes.append(Note.of(NoteCode.NO_COMPARISON_FIRMS, n=int(lost), industries=industries))
        treated = treated & ~orphan
    data = panel.loc[treated | control, ["foretag_id", "lan_kod", "sni", "ar"]].copy()
    for outcome in OUTCOMES:
        data[outcome] = panel.loc[data.index, outcome].astype(float)
    data["ar"] = data["ar"].astype(int)
    first_year = panel.loc[data.index, "forsta_stodar"].fillna(0).astype(int)
    data["forsta_stodar"] = first_year.to_numpy()
    data["stodd"] = (data["forsta_stodar"] > 0).astype(int)
    data["behandlad"] = ((data["stodd"] == 1) & (data["ar"] >= data["forsta_stodar"])).astype(int)
    return data.reset_index(drop=True), used, notes, n_outside


def _with_outcome(data: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The comparison data with one outcome as ``y`` (the columns the estimators read)."""
    columns = ["foretag_id", "lan_kod", "sni", "ar"]
    out = data[columns].copy()
    out["y"] = data[outcome]
    return out.join(data[["forsta_stodar", "stodd", "behandlad"]])


def comparison_panel(
    panel: pd.DataFrame,
    lan_kod: str,
    utfall: str,
    *,
    jamforelse: Comparison = "auto",
    projects: Collection[str] | None = None,
) -> tuple[pd.DataFrame, str, list[Note]]:
    """:func:`comparison_firms` for one outcome, as ``y``: the data, the comparison used and
    the notes about the choice."""
    (outcome,) = EffectParameters.check(utfall=utfall).utfall
    data, used, notes, _ = comparison_firms(
        panel, lan_kod, jamforelse=jamforelse, projects=projects
    )
    return _with_outcome(data, outcome), used, notes


def effect_report(
    ds,
    lan_kod: str,
    utfall: str | Collection[str] = ALL_OUTCOMES,
    *,
    jamforelse: Comparison = "auto",
    finansiering: str = "alla",
) -> EffectReport:
    """Build the effect report of one region (see the module docstring for the design),
    without figures (:func:`build` adds them). The comparison firms are chosen once; each
    outcome is estimated on them."""
    params = EffectParameters.check(
        lan_kod=lan_kod, utfall=utfall, jamforelse=jamforelse, finansiering=finansiering
    )
    lan_kod = params.lan_kod
    regions = ds.lan.set_index("lan_kod")
    region_name = str(regions.loc[lan_kod, "lan_namn"]) if lan_kod in regions.index else lan_kod
    projects = select_funding(ds.projekt, params.finansiering)
    in_scope = set(projects["arende_id"])
    links = ds.projekt_lan[ds.projekt_lan["arende_id"].isin(in_scope)]
    indicators = ds.projektindikatorer[ds.projektindikatorer["arende_id"].isin(in_scope)]
    attainment = goal_attainment(indicators, projects, links, lan_kod)
    data, used, notes, n_outside = comparison_firms(
        ds.foretagspanel,
        lan_kod,
        jamforelse=params.jamforelse,
        projects=None if params.finansiering == "alla" else in_scope,
    )
    firms = data.drop_duplicates("foretag_id")
    n_treated = int(firms["stodd"].sum())
    n_control = int((firms["stodd"] == 0).sum())
    by_sni = (
        firms.groupby("sni")["stodd"]
        .agg(stodda="sum", alla="count")
        .assign(jamforelse=lambda t: t["alla"] - t["stodda"])
        .drop(columns="alla")
        .reset_index()
    )
    warn = list(notes)
    if n_treated < MIN_TREATED:
        warn.append(Note.of(NoteCode.TOO_FEW_TREATED, n=n_treated))
    elif n_treated < FEW_TREATED:
        warn.append(Note.of(NoteCode.FEW_TREATED, n=n_treated))
    effects = []
    for outcome in params.utfall:
        item = OutcomeEffects(
            outcome=outcome,
            region_name=region_name,
            comparison=used,
            n_supported=n_treated,
            n_comparison=n_control,
            supported_by_industry=by_sni,
        )
        if n_treated >= MIN_TREATED:
            own: list[Note] = []
            estimates, extra = _estimate_effects(_with_outcome(data, outcome), used, n_treated, own)
            tagged = tuple(dict.fromkeys(_tagged(n, outcome=outcome) for n in own))
            item = dataclasses.replace(
                item,
                estimates=tuple(estimates),
                event_study=extra["event"],
                pretrend_p=extra["pretrend"],
                staggered=extra["staggered"],
                ipw=extra["ipw"],
                balance=extra["balance"],
                propensity=extra["propensity"],
                notes=tagged,
            )
            warn.extend(tagged)
        effects.append(item)
    synthetic = _synthetic_comparisons(ds.indikatorer, lan_kod, warn)
    return EffectReport(
        lan_kod=lan_kod,
        region_name=region_name,
        funding=params.finansiering,
        comparison=used,
        comparison_requested=params.jamforelse,
        attainment=attainment,
        n_supported=n_treated,
        n_comparison=n_control,
        n_outside_scope=n_outside,
        supported_by_industry=by_sni,
        effects=tuple(effects),
        synthetic=tuple(synthetic),
        notes=tuple(dict.fromkeys(warn)),
        params=params,
    )


def _tagged(note: Note, **values: Any) -> Note:
    """The note with extra values (e.g. the outcome it is about)."""
    return Note(note.code, (*note.values, *values.items()))


def build(ds, params: EffectParameters) -> EffectReport:
    """The effect report of ``params`` with its figures (the report protocol's ``build``)."""
    report = effect_report(
        ds,
        params.lan_kod,
        params.utfall,
        jamforelse=params.jamforelse,
        finansiering=params.finansiering,
    )
    figures = report_figures(report, ds.effektkedjor, ds.lan)
    return dataclasses.replace(report, params=params, figures=figures)


def _run(call, *args, **kwargs):
    """Call an estimator; return its result and its warnings as notes (code and numbers)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    notes = []
    for caught_warning in caught:
        message = caught_warning.message
        if isinstance(message, EstimationWarning) and message.code is not None:
            notes.append(Note.of(message.code, **message.values))
        else:  # technical warnings (e.g. from statsmodels) go to the log, not the report
            log.info("%s: %s", getattr(call, "__name__", call), message)
    return result, list(dict.fromkeys(notes))


def _failed(method: str, exc: EstimationError, **values: Any) -> Note:
    # The estimator's message is for developers: the log has it, the report says what failed.
    log.info("%s %s: %s", method, values, exc)
    return Note.of(NoteCode.ESTIMATION_FAILED, method=method, reason=str(exc), **values)


def _estimate(method: str, result, evidence: EvidenceGrade, main: bool = False):
    return EffectEstimate(method, METHOD_NAMES[method], result, evidence, main)


def _estimate_effects(
    data: pd.DataFrame, comparison: str, n_treated: int, warn: list[Note]
) -> tuple[list[EffectEstimate], dict[str, Any]]:
    estimates: list[EffectEstimate] = []
    extra: dict[str, Any] = dict.fromkeys(
        ("event", "pretrend", "staggered", "ipw", "balance", "propensity")
    )
    # Balance and overlap first: their largest difference enters the main estimate's grade.
    max_smd = None
    try:
        ipw_result, ipw_warn, balance, max_smd, propensity = _ipw(data)
        extra["ipw"], extra["balance"], extra["propensity"] = ipw_result, balance, propensity
        estimates_ipw = _estimate(
            "ipw",
            ipw_result,
            grade_evidence(
                "medel",
                max_smd=max_smd,
                n_treated=n_treated,
                comparison=comparison,
                pretrend_p=None,
                warnings=ipw_warn,
            ),
        )
        warn.extend(ipw_warn)
    except EstimationError as exc:
        estimates_ipw = None
        warn.append(_failed("ipw", exc))
    try:
        with_dummies, dummies = industry_dummies(data)
        result, st_warn = _run(
            staggered_did,
            with_dummies,
            "y",
            "foretag_id",
            "ar",
            "forsta_stodar",
            control_group="never_treated",
            covariates=dummies,
        )
        warn.extend(st_warn)
        extra["staggered"] = result
        extra["event"] = result.event_study[["event_time", "att", "se", "ci_low", "ci_high"]]
        extra["pretrend"] = _pretrend_p(result)
        estimates.append(
            _estimate(
                "staggered_did",
                result.overall,
                grade_evidence(
                    "stark",
                    pretrend_p=extra["pretrend"],
                    max_smd=max_smd,
                    n_treated=n_treated,
                    comparison=comparison,
                    warnings=st_warn,
                ),
                main=True,
            )
        )
    except EstimationError as exc:
        warn.append(_failed("staggered_did", exc))
    if estimates_ipw is not None:
        estimates.append(estimates_ipw)
    try:
        twfe, twfe_warn = _run(did, data, "y", "behandlad", "foretag_id", "ar")
        estimates.append(_estimate("twfe_naiv", twfe, grade_evidence("svag", n_treated=n_treated)))
        warn.extend(w for w in twfe_warn if w not in warn)
    except EstimationError as exc:
        warn.append(_failed("twfe_naiv", exc))
    estimates.append(
        _estimate(
            "fore_efter_naiv", _before_after(data), grade_evidence("svag", n_treated=n_treated)
        )
    )
    return estimates, extra


def industry_dummies(data: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """``data`` with 0/1 columns ``sni_<section>`` for every industry but the largest.

    Conditioning the staggered estimator on these (outcome regression on the base period)
    compares each supported firm's change with the change of comparison firms in its industry.
    """
    counts = data.loc[data["stodd"] == 0].drop_duplicates("foretag_id")["sni"].value_counts()
    reference = counts.index[0] if len(counts) else None
    names = []
    out = data.copy()
    for section in sorted(counts.index):
        if section == reference:
            continue
        name = f"sni_{section}"
        out[name] = (out["sni"] == section).astype(float)
        names.append(name)
    return out, tuple(names)


def _ipw(data: pd.DataFrame):
    """IPW of the long change on pre-period size and industry (firms seen from the first year)."""
    first, last = int(data["ar"].min()), int(data["ar"].max())
    seen = data.groupby("foretag_id")["ar"].agg(["min", "max"])
    keep = seen.index[(seen["min"] == first) & (seen["max"] == last)]
    rows = data[data["foretag_id"].isin(keep)]
    wide = rows.pivot(index="foretag_id", columns="ar", values="y")
    firms = rows.drop_duplicates("foretag_id").set_index("foretag_id")
    before = wide[[first, first + 1]].mean(axis=1)
    cross = pd.DataFrame(
        {
            "forandring": wide[last] - before,
            # Size is heavily skewed: the propensity model uses its (signed) logarithm.
            "log_storlek_fore": np.sign(before) * np.log1p(before.abs()),
            "stodd": firms["stodd"],
            "sni": firms["sni"],
        }
    ).reset_index()
    result, texts = _run(
        ipw, cross, "forandring", "stodd", "log_storlek_fore + C(sni)", estimand="ATT"
    )
    balance = _balance_table(result)
    max_smd = float(balance["smd_efter"].abs().max()) if len(balance) else None
    propensity = pd.DataFrame(
        {"p": result.propensity, "stodd": cross.loc[result.propensity.index, "stodd"]}
    ).reset_index(drop=True)
    return result, texts, balance, max_smd, propensity


def _balance_table(result) -> pd.DataFrame:
    """The IPW balance table with Swedish column names: variabel, smd_fore, smd_efter."""
    table = result.balance.rename(columns={"smd_before": "smd_fore", "smd_after": "smd_efter"})
    table = table.rename_axis("variabel").reset_index()
    return table[["variabel", "smd_fore", "smd_efter"]]


def _pretrend_p(result) -> float | None:
    test = result.pretrend
    if test is None or test.p_value is None or math.isnan(float(test.p_value)):
        return None
    return float(test.p_value)


def _before_after(data: pd.DataFrame):
    """Mean over supported firms of (mean after support) - (mean before); SE over firms."""
    treated = data[data["stodd"] == 1]
    means = treated.groupby(["foretag_id", "behandlad"])["y"].mean().unstack()
    diff = (means[1] - means[0]).dropna()
    n = len(diff)
    estimate = float(diff.mean())
    se = float(diff.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    return Estimate(
        estimate=estimate,
        std_error=se,
        conf_int=(estimate - 1.96 * se, estimate + 1.96 * se),
        n_obs=len(treated),
        n_clusters=n,
        method="före/efter, stödda företag",
        vcov="medelvärdet av företagens skillnader; standardfel = standardavvikelse / √n",
    )


def _synthetic_comparisons(
    indikatorer: pd.DataFrame, lan_kod: str, warn: list[Note]
) -> list[SyntheticComparison]:
    found = []
    for indicator, name in KEY_INDICATORS.items():
        rows = indikatorer[indikatorer["indikator"] == indicator]
        years = rows.groupby("ar")["lan_kod"].nunique()
        complete = years.index[years == rows["lan_kod"].nunique()]
        rows = rows[rows["ar"].isin(complete)][["lan_kod", "ar", "varde"]]
        if rows.empty or lan_kod not in set(rows["lan_kod"]):
            continue
        try:
            result, texts = _run(
                synthetic_control, rows, "varde", "lan_kod", "ar", lan_kod, SYNTH_START
            )
        except EstimationError as exc:
            warn.append(_failed("syntetisk", exc, indicator=indicator))
            continue
        path = pd.DataFrame(
            {"lan": result.treated.astype(float), "syntetisk": result.synthetic.astype(float)}
        )
        path = path.rename_axis("ar").reset_index()
        own = tuple(_tagged(t, indicator=indicator) for t in texts)
        found.append(
            SyntheticComparison(indicator, name, result, path, grade_evidence("svag"), own)
        )
        warn.extend(own)
    return found


def _estimate_row(outcome: str, item: EffectEstimate) -> dict[str, Any]:
    est = item.result
    low, high = est.conf_int
    return {
        "utfall": outcome,
        "metod": item.method,
        "namn": item.name,
        "huvudskattning": item.main,
        "estimate": est.estimate,
        "std_error": est.std_error,
        "ci_low": low,
        "ci_high": high,
        "n_obs": est.n_obs,
        "n_clusters": est.n_clusters,
        "vcov": est.vcov,
        "evidensgrad": item.evidence.grade,
        "motivering": justification(item.evidence, item.method),
    }


def results_payload(report: EffectReport) -> dict[str, Any]:
    """The body of the result file ``effekt.json`` (the protocol adds the envelope).

    ``utfall`` lists the outcomes run; ``skattningar`` has one row per outcome and method with
    ``utfall``, ``metod``, ``estimate`` and ``std_error`` (what ``pool_estimates`` needs), the
    interval, sample, variance convention and evidence grade; ``per_utfall`` has per outcome
    its name, unit, firms, pre-trend test and event study; ``figurer`` are the file names of
    the report's figures. A pure function of the report's numbers: it neither estimates nor
    draws.
    """
    goal = report.attainment
    return {
        "lan_kod": report.lan_kod,
        "lan_namn": report.region_name,
        "utfall": list(report.outcomes),
        "finansiering": report.funding,
        "jamforelse": report.comparison,
        "n_stodda_foretag": report.n_supported,
        "n_jamforelseforetag": report.n_comparison,
        "for_fa_stodda": report.too_few_supported,
        "skattningar": [
            _estimate_row(item.outcome, e) for item in report.effects for e in item.estimates
        ],
        "per_utfall": [
            {
                "utfall": item.outcome,
                "namn": item.name,
                "enhet": item.unit,
                "n_stodda_foretag": item.n_supported,
                "n_jamforelseforetag": item.n_comparison,
                "fortrend_p": item.pretrend_p,
                "handelsestudie": item.event_study,
            }
            for item in report.effects
        ],
        "syntetisk_jamforelse": [
            {
                "indikator": s.indicator,
                "namn": s.name,
                "behandlingsar": SYNTH_START,
                "att": float(s.result.att),
                "pre_rmspe": float(s.result.pre_rmspe),
                "placebo_p_value": s.result.placebo_p_value,
                "vikter": _weights_dict(s.result.weights),
                "evidensgrad": s.evidence.grade,
                "beskrivande": True,
            }
            for s in report.synthetic
        ],
        "maluppfyllelse": {
            "n_projekt": goal.n_projects,
            "n_avslutade": goal.n_finished,
            "per_steg": goal.per_stage,
            "per_indikator": goal.per_indicator,
        },
        "varningar": warning_texts(report),
        "figurer": [f"{stem}.png" for stem in report.figures],
    }


def _weights_dict(weights) -> dict[str, float]:
    series = weights if isinstance(weights, pd.Series) else pd.Series(weights)
    series = series.astype(float)
    return {str(k): round(float(v), 4) for k, v in series.items() if v > 1e-4}
