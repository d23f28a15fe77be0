"""The method page: effect chains, the maturity model, the estimators and evidence grades, the
goal chain's forecast and status rules, and the data sources with their credits, from the
authored models and ``data/README.md``.

The evidence grading is described by :func:`utvardering.effects.text.evidence_rubric`, from
the limits the grading applies, so that the page and the grading cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from utvardering.effects.text import evidence_rubric
from utvardering.format import escape_md, fmt_percent
from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.forecast import INTERVAL as GOAL_INTERVAL
from utvardering.goals.forecast import MIN_OBSERVATIONS, TREND_WINDOW
from utvardering.publish.blocks import Block

__all__ = ["ESTIMATOR_TEXT", "goal_chain_text", "method_blocks"]

ESTIMATOR_TEXT = """\
## Effektanalysens metoder

Effektanalysen jämför hur stödda företag utvecklades med hur jämförbara företag utan stöd
utvecklades (kontrafaktisk analys), och redovisar alltid en osäkerhet (95 % konfidensintervall).

- **Skillnad-i-skillnader (2×2).** Förändringen före–efter för stödda jämförs med förändringen för
  jämförelsegruppen; skattas med OLS, med klusterrobusta medelfel när data har kluster.
- **Tvåvägs fasta effekter.** Företags- och årseffekter rensas bort genom
  inomtransformation; medelfelen klustras på företag med småstickprovskorrektionen
  G/(G−1)·(n−1)/(n−K) som i fixest och Stata reghdfe.
- **Förskjuten införande (Callaway & Sant'Anna 2021).** När företag får stöd olika år skattas en
  effekt per kohort och år, ATT(g,t), med företag som aldrig fått stöd (eller ännu inte fått
  stöd) som jämförelse. Effekterna vägs ihop till ett händelsestudiediagram och en samlad
  effekt; ett test av parallella trender före stödet redovisas. Den naiva tvåvägsmodellen kan
  vara snedvriden när effekten varierar mellan kohorter och över tid, och visas bara som jämförelse.
- **Inverterad sannolikhetsviktning (IPW).** Sannolikheten att få stöd skattas med logit; vikterna
  gör grupperna jämförbara i de observerade bakgrundsvariablerna. Balansen före och efter
  viktning redovisas (standardiserade medelvärdesskillnader).
- **Syntetisk kontroll.** En syntetisk jämförelseregion vägs ihop av andra län så att den följer
  regionens utveckling före en tidpunkt. Används beskrivande för regionala indikatorer.
- **Avbruten tidsserie.** Nivå- och lutningsförändring vid en tidpunkt, med Newey–West-medelfel
  vid autokorrelation.
- **Sammanvägning.** Regionernas skattningar vägs ihop med inversa varianser (fixa effekter) eller
  DerSimonian–Laird (slumpmässiga effekter), med τ² och I² som mått på skillnaderna mellan
  regionerna.
"""


def goal_chain_text() -> str:
    """The goal chain's forecast and status rules, from the constants the analysis uses."""
    label = {k: v.lower() for k, v in STATUS_LABELS.items()}
    level = fmt_percent(GOAL_INTERVAL)
    return f"""\
## Målkedjan: prognos och status

Målkedjan följer varje läns egna mål i tre nivåer: målen i den regionala
utvecklingsstrategin (RUS), understrategiernas mål och projektens mål. Varje mål får en status.

- **Regionala mål** (RUS och understrategier) följs med en serie av regionala indikatorer. En
  linjär trend i årtalet skattas med minsta kvadratmetoden på de senaste {TREND_WINDOW} åren
  med värden och förlängs till målåret, med ett prognosintervall på {level}. Med färre än
  {MIN_OBSERVATIONS} värden, eller utan indikator, är statusen *{label["saknar_data"]}*.
- **Mål med målvärde:** ligger hela intervallet vid målåret på rätt sida om målvärdet är
  statusen *{label["nas"]}*, ligger det helt på fel sida *{label["nas_inte"]}*, och
  innehåller det målvärdet *{label["osakert"]}*. Har målåret redan passerat och serien ett
  värde det året, avgör det värdet.
- **Mål utan målvärde** (”ska öka”): trendens lutning med ett osäkerhetsintervall på {level} ger
  *{label["ratt_riktning"]}*, *{label["fel_riktning"]}* eller *{label["oklar_riktning"]}*
  (intervallet innehåller noll).
- **Projektmål:** projektets senast rapporterade utfall för indikatorn jämförs med målet, som i
  effektanalysens måluppfyllelse; ett pågående projekt som inte har nått målet än är
  *{label["osakert"]}*.

Varför en linjär trend: serierna är korta årsserier, och en linjär trend ger
prognosintervall som går att räkna efter för hand; exponentiell utjämning behöver längre
serier. En trend i en RUS-indikator beskriver länets utveckling, inte projektens effekt.
"""


def _maturity(model) -> str:
    lines = ["## Mognadsmodellen", "", escape_md(model.description), "", "### Nivåerna", ""]
    for level, (name, description) in sorted(model.levels.items()):
        lines.append(f"{level}. **{escape_md(name)}.** {escape_md(description)}")
    lines += ["", "### Dimensionerna", ""]
    for dimension in model.dimensions:
        lines.append(
            f"- **{escape_md(dimension.name)}** ({len(dimension.questions)} frågor). "
            f"{escape_md(dimension.description)}"
        )
    lines += ["", f"*Källa:* {escape_md(model.source)}"]
    return "\n".join(lines)


def _chains(chains) -> str:
    names = {stage_id: name for stage_id, name, _ in chains.stages}
    lines = [
        "## Effektkedjorna",
        "",
        "Varje projekt följer en av fyra effektkedjor: från resurser och aktiviteter via "
        "prestationer till effekter på kort, medellång och lång sikt, mot det övergripande "
        f"målet: *{escape_md(chains.overall_goal)}*",
        "",
    ]
    for chain in chains.chains:
        lines += [f"### {escape_md(chain.name)}", ""]
        if chain.track:
            lines += [f"Spår: {escape_md(chain.track)}.", ""]
        for stage, (description, indicators) in chain.stages.items():
            shown = ", ".join(escape_md(i.name) for i in indicators)
            lines.append(
                f"- **{escape_md(names.get(stage, stage))}:** {escape_md(description)}"
                + (f" Indikatorer: {shown}." if shown else "")
            )
        lines.append("")
    lines.append(f"*Källa:* {escape_md(chains.source)}")
    return "\n".join(lines)


def _data_sources(readme: Path | None) -> str:
    if readme is None or not readme.is_file():
        return "## Data och källor\n\nSe `data/README.md` i datamappen."
    # The user's own description of the data: a wrong byte shows as a replacement character
    text = readme.read_text(encoding="utf-8", errors="replace")
    start = text.find("## Översikt")
    end = text.find("## Egna data")
    body = text[start if start >= 0 else 0 : end if end > 0 else len(text)]
    body = re.sub(r"^## ", "### ", body, flags=re.MULTILINE)
    return "## Data och källor\n\nUr datamappens beskrivning (`data/README.md`):\n\n" + body


def method_blocks(ds, readme: Path | None) -> list[Block]:
    """The method page's blocks."""
    return [
        Block("md", _chains(ds.effektkedjor)),
        Block("md", _maturity(ds.mognadsmodell)),
        Block("md", ESTIMATOR_TEXT + "\n### Evidensgrad\n\n" + evidence_rubric()),
        Block("md", goal_chain_text()),
        Block("md", _data_sources(readme)),
    ]
