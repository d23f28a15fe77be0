"""The method page: effect chains, the maturity model, the estimators and evidence grades, and
the data sources with their credits, from the authored models and ``data/README.md``.

The evidence grading is described by :func:`utvardering.effects.text.evidence_rubric`, from
the limits the grading applies, so that the page and the grading cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from utvardering.effects.text import evidence_rubric
from utvardering.format import escape_md
from utvardering.publish.blocks import Block

__all__ = ["ESTIMATOR_TEXT", "method_blocks"]

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
        Block("md", _data_sources(readme)),
    ]
