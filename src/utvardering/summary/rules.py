"""Recommendation rules: findings across a region's reports joined into what to do next.

The rules are data: ``rekommendationer.yaml`` beside this module (the format is described at
the top of that file and in ``docs/sammanfattning.md``). :func:`load_rules` reads and checks
them; :func:`recommend` applies them to a region's :class:`~utvardering.summary.facts.Facts`
and returns at most :data:`MAX_RECOMMENDATIONS` recommendations, the most important first.

A rule has

- ``id`` (unique), ``prioritet`` (an integer, 1 = most important), ``rubrik`` (the
  recommendation as a Swedish imperative);
- ``villkor``: a list of conditions, each ``{fakta: <fact key>, <operator>: <value>}``, all of
  which must hold. The operators (:data:`OPERATORS`):

  ``minst`` (≥ a number), ``hogst`` (≤), ``over`` (>), ``under`` (<), ``ar`` (equal to a
  number, text or true/false), ``inte`` (not equal), ``ej_tom`` (true: a list or text that is
  not empty; false: an empty one), ``finns`` (true: the fact has a value).

  A condition on a fact that is absent (its report is missing from the run) or None (the
  report is in but the value is undefined) never holds, whatever the operator: a rule never
  fires on missing data. A comparison of a number with a value that is no number does not
  hold either.
- ``text``: the recommendation's body, and ``evidens``: a list of lines, each naming the
  source report and the figure. Both are templates with placeholders ``{fact.key}`` or
  ``{fact.key:format}``, the formats being (:data:`FORMATS`) ``tal`` (a whole number),
  ``tal1`` (one decimal), ``niva`` (a maturity level, one decimal), ``procent`` (a share as
  per cent), ``kr`` (an amount in kronor, scaled), ``artal`` (a year, no thousands space),
  ``lista`` (a list, "a, b och c"), ``kedjor`` (a list of effect-chain codes as their names,
  from ``tema.kedjenamn.<k>``), ``mal`` (a list of goal ids as
  the goals' texts, from the fact ``malkedja.mal``) and ``antal`` (the length of a list;
  ``antal:<singular>:<plural>`` adds the noun in the right number). Without a format a
  number is written with :func:`~utvardering.format.fmt_number` (one decimal when it is not
  whole), a list with ``lista``. A placeholder whose fact is absent or None is written
  "uppgift saknas".
- ``rapporter``: the source reports (``mognad``, ``tema``, ``effekt``, ``malkedja``).
- optionally ``mognadsdimension``: a dimension id of the maturity model. The recommendation
  then quotes the model's description of the region's next level in that dimension (the level
  above the one the region has reached, from the facts ``mognad.uppnadd_niva.<d>`` or
  ``mognad.niva.<d>``), as :attr:`Recommendation.nasta_niva`.

The texts of a :class:`Recommendation` are plain text (they may hold goal texts and names from
the data): escape them with :func:`~utvardering.format.escape_md` before they go into
Markdown.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from utvardering.errors import DataValidationError, ValidationIssue
from utvardering.format import fmt_kr, fmt_number, fmt_percent, listed
from utvardering.maturity.scoring import TOP_LEVEL, reached_level
from utvardering.models import read_yaml
from utvardering.vocabulary import CHAIN_NAMES

if TYPE_CHECKING:
    from utvardering.models import MaturityModel
    from utvardering.summary.facts import Facts

__all__ = [
    "FACT_PREFIXES",
    "FORMATS",
    "MAX_RECOMMENDATIONS",
    "OPERATORS",
    "RULES_FILE",
    "SOURCE_REPORTS",
    "Condition",
    "Recommendation",
    "Rule",
    "load_rules",
    "next_level_text",
    "recommend",
    "render",
]

MAX_RECOMMENDATIONS = 5
RULES_FILE = Path(__file__).with_name("rekommendationer.yaml")

# The first part of every fact key (see utvardering.summary.facts).
FACT_PREFIXES: tuple[str, ...] = (
    "mognad", "tema", "effekt", "portfolj", "malkedja", "jamforelse", "riket",
)  # fmt: skip
SOURCE_REPORTS: tuple[str, ...] = ("mognad", "tema", "effekt", "malkedja")
OPERATORS: dict[str, str] = {
    "minst": "minst (≥) ett tal",
    "hogst": "högst (≤) ett tal",
    "over": "över (>) ett tal",
    "under": "under (<) ett tal",
    "ar": "lika med ett tal, en text eller true/false",
    "inte": "skilt från ett tal, en text eller true/false",
    "ej_tom": "true (en lista eller text som inte är tom) eller false (en tom)",
    "finns": "true (faktan har ett värde)",
}
FORMATS: tuple[str, ...] = (
    "tal", "tal1", "niva", "procent", "kr", "artal", "lista", "kedjor", "mal", "antal",
)  # fmt: skip
_NUMERIC = ("minst", "hogst", "over", "under")
_KEYS = ("id", "prioritet", "rubrik", "villkor", "text", "evidens", "rapporter", "mognadsdimension")
_PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::([^{}]*))?\}")
_FACT_KEY = re.compile(r"^[a-z_]+(\.[A-Za-z0-9_]+)+$")
MISSING = "uppgift saknas"


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: ``fact`` ``operator`` ``value``."""

    fact: str
    operator: str
    value: Any

    def holds(self, facts: Facts) -> bool:
        """True if the fact has a value and it satisfies the condition."""
        value = _fact(facts, self.fact)
        if value is None:
            return False
        op, target = self.operator, self.value
        if op == "finns":
            return bool(target)
        if op == "ej_tom":
            if not isinstance(value, list | tuple | str):
                return False
            return (len(value) > 0) == bool(target)
        if op in _NUMERIC:
            if not _is_number(value):
                return False
            value = float(value)
            return {
                "minst": value >= target,
                "hogst": value <= target,
                "over": value > target,
                "under": value < target,
            }[op]
        equal = _equal(value, target)
        return equal if op == "ar" else not equal


@dataclass(frozen=True)
class Rule:
    """A recommendation rule (see the module docstring)."""

    id: str
    prioritet: int
    rubrik: str
    villkor: tuple[Condition, ...]
    text: str
    evidens: tuple[str, ...]
    rapporter: tuple[str, ...]
    mognadsdimension: str | None = None

    def fires(self, facts: Facts) -> bool:
        return all(c.holds(facts) for c in self.villkor)


@dataclass(frozen=True)
class Recommendation:
    """A rule that fired, its texts filled in from the region's facts (plain text)."""

    id: str
    prioritet: int
    rubrik: str
    text: str
    evidens: tuple[str, ...]
    rapporter: tuple[str, ...]
    mognadsdimension: str | None = None
    nasta_niva: str | None = None  # "Nivå 3 (name): the model's descriptor", if it applies

    def as_dict(self) -> dict[str, Any]:
        """The recommendation as plain data (lists for tuples), for a result file."""
        return {
            "id": self.id,
            "prioritet": self.prioritet,
            "rubrik": self.rubrik,
            "text": self.text,
            "evidens": list(self.evidens),
            "rapporter": list(self.rapporter),
            "mognadsdimension": self.mognadsdimension,
            "nasta_niva": self.nasta_niva,
        }


# --- reading the rules -----------------------------------------------------------------------


def load_rules(path: Path | str | None = None) -> tuple[Rule, ...]:
    """The rules of ``path`` (default: the package's ``rekommendationer.yaml``), checked.

    Every problem is named in Swedish with the rule (its id, or its place in the list) and the
    field; all are raised together as one DataValidationError.
    """
    path = RULES_FILE if path is None else Path(path)
    data = read_yaml(path)
    issues: list[ValidationIssue] = []
    nodes = data.get("regler") if isinstance(data, dict) else None
    if not isinstance(nodes, list) or not nodes:
        raise DataValidationError(
            [
                ValidationIssue(
                    path.name, "nyckeln regler med en lista med minst en regel", key="regler"
                )
            ]
        )
    rules = []
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        rule = _read_rule(node, i, path.name, issues)
        if rule is None:
            continue
        if rule.id in seen:
            issues.append(
                _issue(path.name, rule.id, "id", "ett id som ingen annan regel har", rule.id)
            )
        seen.add(rule.id)
        rules.append(rule)
    if issues:
        raise DataValidationError(issues)
    return tuple(rules)


def _issue(
    file: str, rule: str, field: str, expected: str, value: object = None
) -> ValidationIssue:
    return ValidationIssue(
        file, expected, key=f"regel {rule}, fält {field}", value=value, check="regel"
    )


def _read_rule(node: Any, index: int, file: str, issues: list[ValidationIssue]) -> Rule | None:
    if not isinstance(node, dict):
        issues.append(
            _issue(
                file,
                f"nr {index + 1}",
                "(regeln)",
                "en mappning med id, prioritet, rubrik, villkor, text, evidens och rapporter",
            )
        )
        return None
    rule_id = node.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        issues.append(_issue(file, f"nr {index + 1}", "id", "en text som inte är tom", rule_id))
        name = f"nr {index + 1}"
    else:
        name = rule_id = rule_id.strip()
    found: list[ValidationIssue] = []

    def fail(field: str, expected: str, value: object = None) -> None:
        found.append(_issue(file, name, field, expected, value))

    for key in node:
        if key not in _KEYS:
            fail(str(key), f"ett känt fält ({listed(list(_KEYS), 'eller')})")
    priority = node.get("prioritet")
    if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
        fail("prioritet", "ett heltal 1 eller större (1 är viktigast)", priority)
    texts = {}
    for key in ("rubrik", "text"):
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            fail(key, "en text som inte är tom", value)
        else:
            texts[key] = " ".join(value.split())
            _check_template(texts[key], key, fail)
    evidence = node.get("evidens")
    if not isinstance(evidence, list) or not evidence:
        fail("evidens", "en lista med minst en rad")
        evidence = []
    lines = []
    for j, line in enumerate(evidence):
        if not isinstance(line, str) or not line.strip():
            fail(f"evidens[{j}]", "en text som inte är tom", line)
            continue
        lines.append(" ".join(line.split()))
        _check_template(lines[-1], f"evidens[{j}]", fail)
    reports = node.get("rapporter")
    if not isinstance(reports, list) or not reports:
        fail("rapporter", f"en lista med minst en av rapporterna {listed(list(SOURCE_REPORTS))}")
        reports = []
    for j, report in enumerate(reports):
        if report not in SOURCE_REPORTS:
            fail(
                f"rapporter[{j}]",
                f"en av rapporterna {listed(list(SOURCE_REPORTS), 'eller')}",
                report,
            )
    dimension = node.get("mognadsdimension")
    if dimension is not None and (not isinstance(dimension, str) or not dimension.strip()):
        fail("mognadsdimension", "ett dimensionsid ur mognadsmodellen", dimension)
    conditions = _read_conditions(node.get("villkor"), fail)
    if found or name != rule_id:
        issues.extend(found)
        return None
    return Rule(
        id=rule_id,
        prioritet=priority,
        rubrik=texts["rubrik"],
        villkor=conditions,
        text=texts["text"],
        evidens=tuple(lines),
        rapporter=tuple(reports),
        mognadsdimension=dimension.strip() if dimension else None,
    )


def _read_conditions(nodes: Any, fail) -> tuple[Condition, ...]:
    if not isinstance(nodes, list) or not nodes:
        fail("villkor", "en lista med minst ett villkor")
        return ()
    conditions = []
    for j, node in enumerate(nodes):
        where = f"villkor[{j}]"
        if not isinstance(node, dict):
            fail(where, "en mappning med fakta och en operator", node)
            continue
        fact = node.get("fakta")
        if not isinstance(fact, str) or not _known_fact(fact):
            fail(f"{where}.fakta", _fact_expected(), fact)
            continue
        ops = [k for k in node if k != "fakta"]
        unknown = [k for k in ops if k not in OPERATORS]
        if unknown:
            fail(
                f"{where}.{unknown[0]}",
                f"en känd operator ({listed(list(OPERATORS), 'eller')})",
                unknown[0],
            )
            continue
        if len(ops) != 1:
            fail(where, "exakt en operator", len(ops))
            continue
        op, value = ops[0], node[ops[0]]
        if op in _NUMERIC and not _is_number(value):
            fail(f"{where}.{op}", OPERATORS[op], value)
            continue
        if op in ("ej_tom", "finns") and not isinstance(value, bool):
            fail(f"{where}.{op}", OPERATORS[op], value)
            continue
        if op in ("ar", "inte") and not isinstance(value, str | int | float | bool):
            fail(f"{where}.{op}", OPERATORS[op], value)
            continue
        conditions.append(Condition(fact, op, float(value) if op in _NUMERIC else value))
    return tuple(conditions)


def _known_fact(key: str) -> bool:
    return bool(_FACT_KEY.match(key)) and key.split(".", 1)[0] in FACT_PREFIXES


def _fact_expected() -> str:
    prefixes = listed([f"{p}." for p in FACT_PREFIXES], "eller")
    return f"en faktanyckel som börjar med {prefixes}"


def _check_template(template: str, field: str, fail) -> None:
    stripped = _PLACEHOLDER.sub("", template)
    if "{" in stripped or "}" in stripped:
        fail(field, "hela platshållare {faktanyckel} eller {faktanyckel:format}", template)
    for match in _PLACEHOLDER.finditer(template):
        key, spec = match.group(1).strip(), match.group(2)
        if not _known_fact(key):
            fail(field, _fact_expected(), key)
        if spec is not None and spec.split(":", 1)[0] not in FORMATS:
            fail(field, f"ett känt format ({listed(list(FORMATS), 'eller')})", spec)


# --- applying them ---------------------------------------------------------------------------


def recommend(
    facts: Facts,
    rules: Iterable[Rule] | None = None,
    model: MaturityModel | None = None,
) -> tuple[Recommendation, ...]:
    """The rules that fire on ``facts``, sorted by priority then id, at most
    :data:`MAX_RECOMMENDATIONS`. With the maturity ``model``, a rule with a
    ``mognadsdimension`` quotes the model's description of the region's next level there."""
    rules = load_rules() if rules is None else tuple(rules)
    fired = sorted((r for r in rules if r.fires(facts)), key=lambda r: (r.prioritet, r.id))
    return tuple(_recommendation(r, facts, model) for r in fired[:MAX_RECOMMENDATIONS])


def _recommendation(rule: Rule, facts: Facts, model: MaturityModel | None) -> Recommendation:
    return Recommendation(
        id=rule.id,
        prioritet=rule.prioritet,
        rubrik=render(rule.rubrik, facts),
        text=render(rule.text, facts),
        evidens=tuple(render(line, facts) for line in rule.evidens),
        rapporter=rule.rapporter,
        mognadsdimension=rule.mognadsdimension,
        nasta_niva=(
            next_level_text(facts, rule.mognadsdimension, model) if rule.mognadsdimension else None
        ),
    )


def next_level_text(facts: Facts, dimension: str, model: MaturityModel | None) -> str | None:
    """``"Nivå 3 (name): descriptor"``: the model's description of the level above the one
    the region has reached in ``dimension``; None without a model, a level, or above level 5."""
    if model is None or dimension not in {d.id for d in model.dimensions}:
        return None
    reached = _fact(facts, f"mognad.uppnadd_niva.{dimension}")
    if not _is_number(reached):
        reached = reached_level(_number_or_none(_fact(facts, f"mognad.niva.{dimension}")))
    if reached is None or int(reached) >= TOP_LEVEL:
        return None
    level = max(1, int(reached) + 1)
    name = model.levels[level][0]
    return f"Nivå {level} ({name}): {model.dimension(dimension).levels[level]}"


def render(template: str, facts: Facts) -> str:
    """A template with each ``{fact.key:format}`` replaced by the fact in Swedish."""
    return _PLACEHOLDER.sub(lambda m: _formatted(facts, m.group(1).strip(), m.group(2)), template)


def _formatted(facts: Facts, key: str, spec: str | None) -> str:
    value = _fact(facts, key)
    if value is None:
        return MISSING
    kind, _, rest = (spec or "").partition(":")
    if kind == "antal":
        n = len(value) if isinstance(value, list | tuple) else int(value)
        if rest:
            singular, _, plural = rest.partition(":")
            return f"{fmt_number(n)} {singular if n == 1 else (plural or singular)}"
        return fmt_number(n)
    if kind in ("lista", "kedjor", "mal") or (not kind and isinstance(value, list | tuple)):
        items = list(value) if isinstance(value, list | tuple) else [value]
        if kind == "kedjor":
            items = [
                _fact(facts, f"tema.kedjenamn.{i}") or CHAIN_NAMES.get(str(i), i) for i in items
            ]
        elif kind == "mal":
            items = [_goal_text(facts, str(i)) for i in items]
        return listed([str(i) for i in items]) if items else "inga"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if not _is_number(value):
        return str(value)
    number = float(value)
    if kind == "procent":
        return fmt_percent(number)
    if kind == "kr":
        return fmt_kr(number)
    if kind in ("niva", "tal1"):
        return fmt_number(number, 1)
    if kind == "tal":
        return fmt_number(round(number))
    if kind == "artal":
        return str(int(number))
    return fmt_number(number, 0 if number == int(number) else 1)


def _goal_text(facts: Facts, goal_id: str) -> str:
    goals = _fact(facts, "malkedja.mal") or []
    for goal in goals:
        if isinstance(goal, Mapping) and str(goal.get("mal_id")) == goal_id and goal.get("mal"):
            return f"{goal['mal']} ({goal_id})"
    return goal_id


def _fact(facts: Facts, key: str) -> Any:
    """The fact's value; None when it is absent, None or NaN."""
    value = facts.get(key)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def _number_or_none(value: Any) -> float | None:
    return float(value) if _is_number(value) else None


def _equal(value: Any, target: Any) -> bool:
    if isinstance(target, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(target, bool) and value == target
    if _is_number(target) and _is_number(value):
        return math.isclose(float(value), float(target))
    return str(value) == str(target)
