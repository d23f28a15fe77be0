"""The authored models of the data folder: the maturity model and the effect chains (YAML).

Both are read into frozen dataclasses after a structural check that names the file and the key
of every problem, in Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from utvardering.errors import DataValidationError, ValidationIssue
from utvardering.readers import clean_texts
from utvardering.vocabulary import CHAIN_IDS, INDICATOR_STAGES, MATURITY_LEVELS

__all__ = [
    "ChainModel",
    "Dimension",
    "EffectChain",
    "Indicator",
    "MaturityModel",
    "Question",
    "read_chain_model",
    "read_maturity_model",
    "read_yaml",
]

LEVELS = tuple(MATURITY_LEVELS)


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Dimension:
    """A dimension of the maturity model with a descriptor per level and its questions."""

    id: str
    name: str
    description: str
    levels: dict[int, str]  # descriptor of each level 1-5
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class MaturityModel:
    """The maturity model (mognadsmodell)."""

    name: str
    version: str
    source: str
    description: str
    scale: str
    levels: dict[int, tuple[str, str]]  # level -> (name, general description)
    dimensions: tuple[Dimension, ...]

    @property
    def question_dimension(self) -> dict[str, str]:
        """Each question id mapped to its dimension id."""
        return {q.id: d.id for d in self.dimensions for q in d.questions}

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str


@dataclass(frozen=True)
class EffectChain:
    """One of the four effect chains with each stage's description and standard indicators."""

    id: str
    name: str
    track: str
    target_group: str
    stages: dict[str, tuple[str, tuple[Indicator, ...]]]  # stage -> (description, indicators)


@dataclass(frozen=True)
class ChainModel:
    """The effect chains (effektkedjor) and their stages."""

    name: str
    source: str
    overall_goal: str
    stages: tuple[tuple[str, str, str], ...]  # (id, name, description), in chain order
    mandatory: tuple[Indicator, ...]
    chains: tuple[EffectChain, ...]

    def chain(self, chain_id: str) -> EffectChain:
        return next(c for c in self.chains if c.id == chain_id)

    @property
    def indicators(self) -> dict[str, Indicator]:
        """Every indicator of the file by id."""
        found = {i.id: i for i in self.mandatory}
        for chain in self.chains:
            for _, indicators in chain.stages.values():
                found.update({i.id: i for i in indicators})
        return found


def read_yaml(path: Path) -> Any:
    """A YAML file's content; a syntax error becomes a validation issue with its line.

    Every text (key or value) is normalised to Unicode NFC, and a text with a control character
    (which YAML's escapes such as ``"\\0"`` can write) is an issue naming its key.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DataValidationError(
            [
                ValidationIssue(
                    path.name,
                    f"giltig YAML (tecknet U+{exc.character:04X} är inte tillåtet)"
                    if isinstance(exc.character, int)
                    else "giltig YAML",
                    row=line,
                    check="yaml",
                )
            ]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataValidationError(
            [ValidationIssue(path.name, f"giltig YAML ({problem})", row=row, check="yaml")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [ValidationIssue(path.name, "text i UTF-8", check="kodning")]
        ) from exc
    data, issues = clean_texts(data, path.name)
    if issues:
        raise DataValidationError(issues)
    return data


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _shown(value: Any) -> object:
    """A wrong value as a message shows it: a text for a list or a mapping, None if missing."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        kind = "en lista" if isinstance(value, list) else "en mappning"
        return f"{kind}: {value}"
    return value


class _Checker:
    """Reads keys of a YAML mapping and remembers what was missing or wrong."""

    def __init__(self, file: str):
        self.file = file
        self.issues: list[ValidationIssue] = []

    def fail(self, key: str, expected: str, value: object = None) -> None:
        self.issues.append(
            ValidationIssue(self.file, expected, key=key, value=value, check="struktur")
        )

    def text(self, node: Any, key: str, path: str) -> str:
        value = node.get(key) if isinstance(node, dict) else None
        if not _scalar(value) or not str(value).strip():
            self.fail(f"{path}.{key}" if path else key, "en text som inte är tom", _shown(value))
            return ""
        return str(value).strip()

    def optional_text(self, node: Any, key: str, path: str) -> str:
        """A text that may be missing or empty, but is a text if it is there."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return ""
        if not _scalar(value):
            self.fail(f"{path}.{key}" if path else key, "en text", _shown(value))
            return ""
        return str(value).strip()

    def mapping(self, node: Any, where: str, expected: str) -> bool:
        """True if ``node`` is a mapping; else the issue is noted (what was expected)."""
        if isinstance(node, dict):
            return True
        self.fail(where, expected, _shown(node))
        return False

    def items(self, node: Any, key: str, path: str) -> list:
        value = node.get(key) if isinstance(node, dict) else None
        if not isinstance(value, list) or not value:
            self.fail(f"{path}.{key}" if path else key, "en lista med minst ett element")
            return []
        return value


def read_maturity_model(path: Path) -> MaturityModel:
    """Read and check the maturity model: five levels, dimensions with five descriptors each
    and two to four questions with unique ids."""
    data = read_yaml(path)
    check = _Checker(path.name)
    if not isinstance(data, dict):
        check.fail("(roten)", "en YAML-mappning med nycklarna namn, nivaer och dimensioner")
        raise DataValidationError(check.issues)
    levels: dict[int, tuple[str, str]] = {}
    for i, node in enumerate(check.items(data, "nivaer", "")):
        if not check.mapping(node, f"nivaer[{i}]", "en mappning med niva, namn och beskrivning"):
            continue
        level = node.get("niva")
        if not _scalar(level) or isinstance(level, float) or level not in LEVELS:
            check.fail(f"nivaer[{i}].niva", "en nivå 1–5", _shown(level))
            continue
        levels[level] = (
            check.text(node, "namn", f"nivaer[{i}]"),
            check.text(node, "beskrivning", f"nivaer[{i}]"),
        )
    if levels and sorted(levels) != list(LEVELS):
        check.fail("nivaer", "exakt nivåerna 1, 2, 3, 4 och 5", sorted(levels))
    dimensions = []
    seen_questions: set[str] = set()
    for i, node in enumerate(check.items(data, "dimensioner", "")):
        where = f"dimensioner[{i}]"
        if not check.mapping(node, where, "en mappning med id, namn, nivaer och fragor"):
            continue
        dim_id = check.text(node, "id", where)
        descriptors = node.get("nivaer")
        if (
            not isinstance(descriptors, dict)
            or not all(type(k) is int for k in descriptors)
            or sorted(descriptors) != list(LEVELS)
        ):
            check.fail(f"{where}.nivaer", "en beskrivning för var och en av nivåerna 1–5")
            descriptors = {}
        elif not all(isinstance(v, str) and v.strip() for v in descriptors.values()):
            check.fail(f"{where}.nivaer", "en beskrivning (text) för varje nivå")
        questions = []
        raw_questions = check.items(node, "fragor", where)
        if raw_questions and not 2 <= len(raw_questions) <= 4:
            check.fail(f"{where}.fragor", "två till fyra frågor", len(raw_questions))
        for j, q in enumerate(raw_questions):
            if not check.mapping(q, f"{where}.fragor[{j}]", "en fråga med id och text"):
                continue
            q_id = check.text(q, "id", f"{where}.fragor[{j}]")
            if q_id in seen_questions:
                check.fail(f"{where}.fragor[{j}].id", "ett frågeid som är unikt i modellen", q_id)
            seen_questions.add(q_id)
            questions.append(Question(q_id, check.text(q, "text", f"{where}.fragor[{j}]")))
        dimensions.append(
            Dimension(
                id=dim_id,
                name=check.text(node, "namn", where),
                description=check.optional_text(node, "beskrivning", where),
                levels={int(k): str(v).strip() for k, v in descriptors.items()},
                questions=tuple(questions),
            )
        )
    ids = [d.id for d in dimensions]
    for dim_id in {d for d in ids if ids.count(d) > 1}:
        check.fail("dimensioner", "unika dimensionsid", dim_id)
    keys = ("namn", "version", "kalla", "beskrivning", "skala")
    top = {k: check.optional_text(data, k, "") for k in keys}
    if check.issues:
        raise DataValidationError(check.issues)
    return MaturityModel(
        name=top["namn"],
        version=top["version"],
        source=top["kalla"],
        description=top["beskrivning"],
        scale=top["skala"],
        levels=levels,
        dimensions=tuple(dimensions),
    )


def _indicators(check: _Checker, nodes: Any, where: str) -> tuple[Indicator, ...]:
    if not isinstance(nodes, list):
        check.fail(where, "en lista med indikatorer", _shown(nodes))
        return ()
    return tuple(
        Indicator(
            check.text(n, "id", f"{where}[{k}]"),
            check.text(n, "namn", f"{where}[{k}]"),
            check.text(n, "enhet", f"{where}[{k}]"),
        )
        for k, n in enumerate(nodes)
        if check.mapping(n, f"{where}[{k}]", "en indikator: en mappning med id, namn och enhet")
    )


def read_chain_model(path: Path) -> ChainModel:
    """Read and check the effect chains: exactly the four chains, with the stages the
    indicators use, and no indicator id defined twice in different ways."""
    data = read_yaml(path)
    check = _Checker(path.name)
    if not isinstance(data, dict):
        check.fail("(roten)", "en YAML-mappning med nycklarna steg och kedjor")
        raise DataValidationError(check.issues)
    stages = tuple(
        (
            check.text(s, "id", f"steg[{i}]"),
            check.text(s, "namn", f"steg[{i}]"),
            check.optional_text(s, "beskrivning", f"steg[{i}]"),
        )
        for i, s in enumerate(check.items(data, "steg", ""))
        if check.mapping(s, f"steg[{i}]", "ett steg: en mappning med id, namn och beskrivning")
    )
    stage_ids = [s[0] for s in stages if s[0]]
    for stage_id in sorted({s for s in stage_ids if stage_ids.count(s) > 1}):
        check.fail("steg", "unika steg-id", stage_id)
    mandatory = _indicators(
        check, data.get("obligatoriska_indikatorer"), "obligatoriska_indikatorer"
    )
    chains = []
    for i, node in enumerate(check.items(data, "kedjor", "")):
        where = f"kedjor[{i}]"
        if not check.mapping(node, where, "en effektkedja: en mappning med id, namn och steg"):
            continue
        chain_stages = {}
        raw_stages = node.get("steg")
        if not isinstance(raw_stages, dict):
            check.fail(
                f"{where}.steg",
                "en mappning från steg till beskrivning och indikatorer",
                _shown(raw_stages),
            )
            raw_stages = {}
        for stage in INDICATOR_STAGES:
            if stage not in raw_stages:
                check.fail(f"{where}.steg", f"steget '{stage}'")
        for stage, stage_node in raw_stages.items():
            place = f"{where}.steg.{stage}"
            if stage_ids and stage not in stage_ids:
                check.fail(place, "ett av stegen i steg: " + ", ".join(stage_ids), str(stage))
                continue
            if not check.mapping(
                stage_node, place, "en mappning med beskrivning och indikatorer för steget"
            ):
                continue
            chain_stages[str(stage)] = (
                check.text(stage_node, "beskrivning", place),
                _indicators(check, stage_node.get("indikatorer", []), f"{place}.indikatorer"),
            )
        chains.append(
            EffectChain(
                id=check.text(node, "id", where),
                name=check.text(node, "namn", where),
                track=check.optional_text(node, "spar", where),
                target_group=check.optional_text(node, "malgrupp", where),
                stages=chain_stages,
            )
        )
    if sorted(c.id for c in chains) != sorted(CHAIN_IDS):
        check.fail(
            "kedjor",
            "exakt de fyra effektkedjorna " + ", ".join(CHAIN_IDS),
            ", ".join(c.id for c in chains),
        )
    definitions: dict[str, Indicator] = {}
    for indicator in mandatory + tuple(
        i for c in chains for _, inds in c.stages.values() for i in inds
    ):
        if indicator.id in definitions and definitions[indicator.id] != indicator:
            check.fail(
                "kedjor", "samma namn och enhet varje gång ett indikatorid används", indicator.id
            )
        definitions.setdefault(indicator.id, indicator)
    top = {k: check.optional_text(data, k, "") for k in ("namn", "kalla", "overgripande_mal")}
    if check.issues:
        raise DataValidationError(check.issues)
    return ChainModel(
        name=top["namn"],
        source=top["kalla"],
        overall_goal=top["overgripande_mal"],
        stages=stages,
        mandatory=mandatory,
        chains=tuple(chains),
    )
