"""Recommendation rules (utvardering.summary.rules): each shipped rule fires on facts made for
it and stays silent on facts made against it; the rules file is checked with Swedish errors
that name the rule and the field; at most five recommendations, the most important first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.errors import DataValidationError
from utvardering.summary.facts import Facts
from utvardering.summary.rules import (
    MAX_RECOMMENDATIONS,
    RULES_FILE,
    Recommendation,
    load_rules,
    next_level_text,
    recommend,
    render,
)


@pytest.fixture(scope="module")
def model():
    return load_dataset(DATA, ["mognadsmodell"]).mognadsmodell


@pytest.fixture(scope="module")
def rules():
    return {rule.id: rule for rule in load_rules()}


def facts(**values) -> Facts:
    """Facts of a made-up region with exactly ``values`` (keys with "__" for ".")."""
    values = {k.replace("__", "."): v for k, v in values.items()}
    return Facts(
        lan_kod="07",
        lan_namn="Kronobergs län",
        values=values,
        sources={k: k.split(".")[0] for k in values},
        included=("mognad", "tema", "effekt", "malkedja"),
        missing={},
    )


def fired(fact_values: Facts, rule) -> bool:
    return [r.id for r in recommend(fact_values, rules=[rule])] == [rule.id]


WEAK_DATA = {
    "mognad.niva.indikatorer_data": 2.0,
    "mognad.uppnadd_niva.indikatorer_data": 2,
    "mognad.riket_median.indikatorer_data": 3.0,
    "mognad.namn.indikatorer_data": "Indikatorer och datainsamling",
    "effekt.andel_avslutade_utfall_saknas.medel": 0.45,
}

# Per shipped rule: facts on which it fires, and facts made against it (one condition off,
# or the fact missing, or None).
CASES = {
    "slutliga_utfall": (
        WEAK_DATA,
        [
            {**WEAK_DATA, "mognad.niva.indikatorer_data": 3.0,
             "mognad.uppnadd_niva.indikatorer_data": 3},
            {**WEAK_DATA, "effekt.andel_avslutade_utfall_saknas.medel": 0.29},
            {k: v for k, v in WEAK_DATA.items() if not k.startswith("effekt.")},
            {**WEAK_DATA, "effekt.andel_avslutade_utfall_saknas.medel": None},
        ],
    ),
    "mal_utan_projekt": (
        {
            "malkedja.rus_utan_projekt": ["R2"],
            "malkedja.mal": [{"mal_id": "R2", "niva": "rus", "mal": "Fler jobb", "status": "nas"}],
        },
        [{"malkedja.rus_utan_projekt": []}, {"malkedja.har_mal": True}],
    ),
    "matbara_mal": (
        {"malkedja.har_mal": False},
        [{"malkedja.har_mal": True}, {"malkedja.har_mal": None}, {}],
    ),
    "planera_utvardering": (
        {
            "portfolj.andel_belopp_utan_medel_uppfoljning": 0.4,
            "portfolj.kedjor_utan_medel_uppfoljning": ["kunskap"],
            "tema.belopp_sek": 12_300_000.0,
        },
        [
            {"portfolj.andel_belopp_utan_medel_uppfoljning": 0.2},
            {"effekt.kedjor_utan_medel_uppfoljning": ["kunskap"]},  # tema missing
        ],
    ),
    "kontrafaktisk_studie": (
        {"effekt.basta_evidensgrad": "C"},
        [{"effekt.basta_evidensgrad": "B"}, {"effekt.basta_evidensgrad": None}],
    ),
    "mal_ur_kurs": (
        {"malkedja.n_rus": 4, "malkedja.n_rus_pa_vag": 1, "malkedja.andel_rus_pa_vag": 0.25,
         "malkedja.n_rus_inte_pa_vag": 3},
        [
            {"malkedja.n_rus": 4, "malkedja.n_rus_pa_vag": 2, "malkedja.andel_rus_pa_vag": 0.5,
             "malkedja.n_rus_inte_pa_vag": 2},
            {"malkedja.n_rus": 4, "malkedja.n_rus_pa_vag": 0, "malkedja.andel_rus_pa_vag": 0.0,
             "malkedja.n_rus_inte_pa_vag": 0},  # no data rather than off track
        ],
    ),
    "aterkoppling": (
        {"mognad.niva.aterkoppling": 2.5, "mognad.uppnadd_niva.aterkoppling": 2,
         "mognad.namn.aterkoppling": "Återkoppling", "mognad.riket_median.aterkoppling": 3.0},
        [{"mognad.niva.aterkoppling": 3.0, "mognad.uppnadd_niva.aterkoppling": 3},
         {"mognad.niva.aterkoppling": None, "mognad.uppnadd_niva.aterkoppling": None}],
    ),
    "mognad_sjunker": (
        {"mognad.profilmedel_forandring": -0.5, "mognad.profilmedel": 2.1,
         "mognad.profilmedel_foregaende": 2.6, "mognad.omgang": 2025,
         "mognad.foregaende_omgang": 2024},
        [{"mognad.profilmedel_forandring": -0.2}, {"mognad.profilmedel_forandring": 0.4}],
    ),
}  # fmt: skip


def test_every_shipped_rule_has_cases(rules):
    assert set(CASES) == set(rules)
    assert len(rules) >= 6


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_fixture(rules, model, rule_id):
    made_for, _ = CASES[rule_id]
    (rec,) = recommend(facts(**{k.replace(".", "__"): v for k, v in made_for.items()}),
                       rules=[rules[rule_id]], model=model)  # fmt: skip
    assert rec.id == rule_id
    text = " ".join([rec.rubrik, rec.text, *rec.evidens])
    assert "{" not in text and "uppgift saknas" not in text
    assert not re.search(r"\b(None|nan|True|False)\b", text)
    assert rec.rapporter and rec.evidens


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_silent_on_fixtures_against_it(rules, rule_id):
    _, against = CASES[rule_id]
    for values in against:
        assert not fired(facts(**{k.replace(".", "__"): v for k, v in values.items()}),
                         rules[rule_id]), values  # fmt: skip


def test_collect_outcomes_rule_text_and_next_level(rules, model):
    (rec,) = recommend(facts(**{k.replace(".", "__"): v for k, v in WEAK_DATA.items()}),
                       rules=[rules["slutliga_utfall"]], model=model)  # fmt: skip
    assert rec.rubrik == "Samla in slutliga utfall på projektnivå"
    assert rec.evidens[0] == (
        "Mognadsbedömningen: Indikatorer och datainsamling på nivå 2,0 (riket 3,0)"
    )
    assert "45\u00a0%" in rec.evidens[1]
    level3 = model.dimension("indikatorer_data").levels[3]
    assert rec.mognadsdimension == "indikatorer_data"
    assert rec.nasta_niva == f"Nivå 3 ({model.levels[3][0]}): {level3}"
    # Without the model there is nothing to quote.
    (bare,) = recommend(facts(**{k.replace(".", "__"): v for k, v in WEAK_DATA.items()}),
                        rules=[rules["slutliga_utfall"]])  # fmt: skip
    assert bare.nasta_niva is None


def test_next_level_from_median_when_reached_level_missing(rules, model):
    median_only = facts(mognad__niva__indikatorer_data=1.5)
    assert next_level_text(median_only, "indikatorer_data", model).startswith("Nivå 2 (")
    top = facts(mognad__uppnadd_niva__aterkoppling=5, mognad__niva__aterkoppling=5.0)
    assert next_level_text(top, "aterkoppling", model) is None  # nothing above level 5
    assert next_level_text(facts(), "aterkoppling", model) is None
    assert next_level_text(median_only, "okand_dimension", model) is None


def test_goal_texts_and_counts_in_the_rule_text(rules):
    values = dict(CASES["mal_utan_projekt"][0])
    (rec,) = recommend(Facts("07", "x", values, {}, (), {}), [rules["mal_utan_projekt"]])
    assert rec.text.startswith("1 RUS-mål saknar projekt som bidrar: Fler jobb (R2).")
    assert rec.evidens == ("Målkedjan: 1 RUS-mål utan bidragande projekt (R2)",)


def test_years_without_thousands_space(rules):
    values = dict(CASES["mognad_sjunker"][0])
    (rec,) = recommend(Facts("07", "x", values, {}, (), {}), [rules["mognad_sjunker"]])
    assert "från 2,6 (2024) till 2,1 (2025)" in rec.text


def test_shipped_dimensions_are_in_the_model(rules, model):
    ids = {d.id for d in model.dimensions}
    for rule in rules.values():
        assert rule.mognadsdimension is None or rule.mognadsdimension in ids, rule.id


def test_at_most_five_ordered_by_priority_then_id(rules):
    everything = {}
    for made_for, _ in CASES.values():
        everything.update(made_for)
    everything["malkedja.har_mal"] = False  # a made-up region where every rule fires
    found = recommend(Facts("07", "x", everything, {}, (), {}), rules=rules.values())
    assert len(found) == MAX_RECOMMENDATIONS < len(rules)
    keys = [(r.prioritet, r.id) for r in found]
    assert keys == sorted(keys)
    every = sorted((r.prioritet, r.id) for r in rules.values())
    assert keys == every[:MAX_RECOMMENDATIONS]
    assert all(isinstance(r, Recommendation) for r in found)
    assert found[0].as_dict()["evidens"] == list(found[0].evidens)


def test_no_facts_no_recommendations():
    assert recommend(Facts("07", "x", {}, {}, (), {"mognad": "saknas"}, ())) == ()


def test_missing_placeholder_is_said_in_words():
    assert render("riket {mognad.riket_median.x:niva}", facts()) == "riket uppgift saknas"
    assert render("{tema.belopp_sek:kr}", facts(tema__belopp_sek=18_694_500.0)) == (
        "18,7\u00a0mnkr"
    )


# --- the rules file is checked ---------------------------------------------------------------


def _write(tmp_path: Path, rules: list[dict]) -> Path:
    path = tmp_path / "regler.yaml"
    path.write_text(yaml.safe_dump({"regler": rules}, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {
    "id": "test",
    "prioritet": 1,
    "rubrik": "Gör något",
    "villkor": [{"fakta": "mognad.niva.aterkoppling", "hogst": 2}],
    "text": "Nivån är {mognad.niva.aterkoppling:niva}.",
    "evidens": ["Mognadsbedömning: nivå {mognad.niva.aterkoppling:niva}"],
    "rapporter": ["mognad"],
}


def test_the_shipped_file_loads():
    assert load_rules(RULES_FILE) == load_rules()


def test_a_good_rule_loads(tmp_path):
    (rule,) = load_rules(_write(tmp_path, [GOOD]))
    assert rule.id == "test" and rule.villkor[0].value == 2.0


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"villkor": [{"fakta": "okand.niva", "minst": 1}]}, "villkor[0].fakta", "faktanyckel"),
        ({"villkor": [{"fakta": "mognad.niva.x", "storre": 1}]}, "villkor[0].storre", "operator"),
        ({"villkor": [{"fakta": "mognad.niva.x", "minst": "två"}]}, "villkor[0].minst", "tal"),
        ({"villkor": [{"fakta": "mognad.niva.x", "minst": 1, "hogst": 3}]}, "villkor[0]",
         "exakt en"),
        ({"villkor": []}, "villkor", "minst ett villkor"),
        ({"text": ""}, "text", "inte är tom"),
        ({"text": None}, "text", "inte är tom"),
        ({"rubrik": "  "}, "rubrik", "inte är tom"),
        ({"prioritet": 0}, "prioritet", "heltal"),
        ({"rapporter": ["okand"]}, "rapporter[0]", "rapporterna"),
        ({"evidens": []}, "evidens", "minst en rad"),
        ({"text": "Nivå {foo.bar}"}, "text", "faktanyckel"),
        ({"text": "Nivå {mognad.niva.x:hex}"}, "text", "format"),
        ({"text": "Nivå {mognad.niva.x"}, "text", "platshållare"),
        ({"okand": 1}, "okand", "känt fält"),
    ],
)  # fmt: skip
def test_bad_rules_are_named_in_swedish(tmp_path, change, field, words):
    path = _write(tmp_path, [{**GOOD, **change}])
    with pytest.raises(DataValidationError) as info:
        load_rules(path)
    message = str(info.value)
    assert "regler.yaml" in message
    assert f"regel test, fält {field}" in message, message
    assert words in message, message


def test_missing_text_without_id_names_the_place(tmp_path):
    bad = {k: v for k, v in GOOD.items() if k not in ("id", "text")}
    with pytest.raises(DataValidationError) as info:
        load_rules(_write(tmp_path, [GOOD, bad]))
    message = str(info.value)
    assert "regel nr 2, fält id" in message and "regel nr 2, fält text" in message


def test_duplicate_ids_and_no_rules(tmp_path):
    with pytest.raises(DataValidationError, match="regel test, fält id"):
        load_rules(_write(tmp_path, [GOOD, GOOD]))
    with pytest.raises(DataValidationError, match="regler"):
        load_rules(_write(tmp_path, []))
