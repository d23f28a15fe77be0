"""The data contract as code: every table's columns, types and allowed values.

A :class:`TableSchema` lists its :class:`Column` s; each column has a kind that says how text is
turned into a typed value, and pandera checks for the allowed values (with the expectation
written in Swedish, for the error message). Checks that span rows or tables live in
:mod:`utvardering.validate`. ``data/README.md`` documents the same contract for people; a test
keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from utvardering.vocabulary import (
    CHAIN_IDS,
    CHAIN_STAGES,
    FOCUS_AREAS,
    FUNDING_SOURCES,
    GOAL_DIRECTIONS,
    GOAL_LEVELS,
    INDICATOR_STAGES,
    LAN_CODES,
    NATIONAL_PRIORITIES,
    REPORT_TYPES,
    THEMES,
)

__all__ = ["SCHEMAS", "THEME_SEPARATOR", "CheckSpec", "Column", "TableSchema", "split_themes"]

Kind = Literal["text", "code", "int", "float", "date"]

# Themes are a multi-valued field: values separated by this character.  # teman
THEME_SEPARATOR = ";"
_ALL_THEMES = frozenset(theme for group in THEMES.values() for theme in group)


@dataclass(frozen=True)
class Column:
    """One column of the contract.

    ``kind`` says how its text is read: ``text`` as is; ``code`` as a string of digits (with
    ``width`` it is zero-padded, so an Excel cell 7 reads as "07"); ``int`` and ``float`` as
    numbers with decimal point or comma; ``date`` as ÅÅÅÅ-MM-DD.
    """

    name: str
    kind: Kind
    description: str
    nullable: bool = False
    width: int | None = None
    checks: tuple[CheckSpec, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    """A table of the contract: its file stem, columns and the keys that must be unique."""

    name: str
    title: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    optional: bool = False
    doc: str = ""
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.columns})

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def pandera_schema(self):
        """The value checks as a pandera schema over the already typed frame (pandera is
        imported here, so that reading validated data from the cache does not need it)."""
        import pandera.pandas as pa

        return pa.DataFrameSchema(
            {
                c.name: pa.Column(checks=[check.build() for check in c.checks], nullable=True)
                for c in self.columns
            },
            strict=False,
        )


@dataclass(frozen=True)
class CheckSpec:
    """A pandera check described as data: its kind, arguments and Swedish expectation."""

    kind: Literal["isin", "ge", "in_range", "str_matches", "custom"]
    args: tuple
    error: str

    def build(self):
        import pandera.pandas as pa  # see pandera_schema: only validation needs pandera

        if self.kind == "custom":
            return pa.Check(self.args[0], element_wise=False, error=self.error)
        return getattr(pa.Check, self.kind)(*self.args, error=self.error)


def split_themes(value: object) -> list[str]:
    """The themes of a project's ``teman`` field, stripped, in order."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return []
    return [part.strip() for part in str(value).split(THEME_SEPARATOR) if part.strip()]


def _one_of(values, what: str = "ett av") -> CheckSpec:
    shown = ", ".join(f"'{v}'" for v in values)
    return CheckSpec("isin", (list(values),), f"{what}: {shown}")


def _at_least(bound: float) -> CheckSpec:
    text = "ett tal som inte är negativt" if bound == 0 else f"ett tal ≥ {bound}"
    return CheckSpec("ge", (bound,), text)


def _between(low: float, high: float, what: str) -> CheckSpec:
    return CheckSpec("in_range", (low, high), what)


def _matches(pattern: str, what: str) -> CheckSpec:
    return CheckSpec("str_matches", (pattern,), what)


def _known_themes(series: pd.Series) -> pd.Series:
    # Each distinct value is split once (a large table repeats a few combinations).
    codes, uniques = pd.factorize(series)
    known = [all(t in _ALL_THEMES for t in split_themes(v)) for v in uniques]
    return pd.Series(np.append(np.array(known, dtype=bool), True)[codes], index=series.index)


_LAN = Column(
    "lan_kod",
    "code",
    "Länskod (SCB), två siffror",
    width=2,
    checks=(CheckSpec("isin", (list(LAN_CODES),), "en av de 21 länskoderna (01, 03, …, 25)"),),
)
_YEAR = _between(1900, 2100, "ett årtal mellan 1900 och 2100")
_SNAKE = _matches(r"^[a-z0-9_]+$", "ett id med små bokstäver a-z, siffror och _")

LAN = TableSchema(
    "lan",
    "Län",
    (
        _LAN,
        Column("lan_namn", "text", "Länets namn, t.ex. 'Kronobergs län'"),
        Column("lan_kortnamn", "text", "Kort namn, t.ex. 'Kronoberg'"),
        Column(
            "nuts3_kod",
            "text",
            "NUTS 2021 nivå 3",
            checks=(_matches(r"^SE\d{3}$", "en NUTS 3-kod som 'SE212'"),),
        ),
        Column(
            "nuts2_kod",
            "text",
            "NUTS 2021 nivå 2 (riksområde)",
            checks=(_matches(r"^SE\d{2}$", "en NUTS 2-kod som 'SE21'"),),
        ),
        Column("nuts2_namn", "text", "Riksområdets namn"),
        Column("eruf_program_2014_2020", "text", "Regionalfondsprogram 2014–2020"),
    ),
    unique=("lan_kod",),
)

KOMMUNER = TableSchema(
    "kommuner",
    "Kommuner",
    (
        Column(
            "kommun_kod",
            "code",
            "Kommunkod (SCB), fyra siffror",
            width=4,
            checks=(_matches(r"^\d{4}$", "en kommunkod med fyra siffror"),),
        ),
        Column("kommun_namn", "text", "Kommunens namn"),
        Column("kommun_kortnamn", "text", "Kort namn"),
        _LAN,
        Column("lan_namn", "text", "Länets namn"),
        Column("lan_kortnamn", "text", "Länets korta namn"),
        Column("fa_kod_harledd", "code", "FA-region (härledd), kod", nullable=True),
        Column("fa_namn_harledd", "text", "FA-region (härledd), namn", nullable=True),
    ),
    unique=("kommun_kod",),
)

INDIKATORER = TableSchema(
    "indikatorer",
    "Regionala indikatorer (långt format)",
    (
        _LAN,
        Column("ar", "int", "År", checks=(_YEAR,)),
        Column("indikator", "text", "Indikatorns id", checks=(_SNAKE,)),
        Column("varde", "float", "Värde"),
        Column("enhet", "text", "Enhet"),
        Column("kalla", "text", "Källa (producent och tabell)"),
    ),
    unique=("lan_kod", "ar", "indikator"),
)

PROJEKT = TableSchema(
    "projekt",
    "Projekt",
    (
        Column("arende_id", "code", "Ärendenummer"),
        Column("projektnamn", "text", "Projektets namn"),
        Column("stodmottagare", "text", "Stödmottagare"),
        Column("beviljat_belopp_sek", "float", "Beviljat belopp, kr", checks=(_at_least(0),)),
        Column("startdatum", "date", "Projektstart"),
        Column("slutdatum", "date", "Projektslut (inte före start)"),
        Column("program_omrade", "text", "Programområde", nullable=True),
        Column("insatsomrade", "text", "Insatsområde", nullable=True),
        Column("tematiskt_mal", "text", "EU:s tematiska mål", nullable=True),
        Column("projektbeskrivning", "text", "Beskrivning", nullable=True),
        Column("fond", "text", "Fond", nullable=True),
        Column(
            "nationell_prioritering",
            "text",
            "Prioritering i nationella strategin",
            checks=(_one_of(NATIONAL_PRIORITIES),),
        ),
        Column("fokusomrade", "text", "Fokusområde", checks=(_one_of(FOCUS_AREAS),)),
        Column(
            "teman",
            "text",
            "Teman, flera åtskilda med ';'",
            nullable=True,
            checks=(
                CheckSpec(
                    "custom", (_known_themes,), "teman ur listan i data/README.md, åtskilda med ';'"
                ),
            ),
        ),
        Column(
            "hallbarhet_syfte",
            "int",
            "Hållbarhet, syfte (0–3)",
            checks=(_between(0, 3, "ett heltal 0–3"),),
        ),
        Column(
            "hallbarhet_metod",
            "int",
            "Hållbarhet, metod (0–3)",
            checks=(_between(0, 3, "ett heltal 0–3"),),
        ),
        Column(
            "effektkedja",
            "text",
            "Effektkedja (en av fyra)",
            checks=(_one_of(CHAIN_IDS, "en av de fyra effektkedjorna"),),
        ),
        Column(
            "finansieringskalla", "text", "Finansieringskälla", checks=(_one_of(FUNDING_SOURCES),)
        ),
    ),
    unique=("arende_id",),
)

PROJEKT_LAN = TableSchema(
    "projekt_lan",
    "Projektens län och andelar",
    (
        Column("arende_id", "code", "Ärendenummer (finns i projekt)"),
        _LAN,
        Column(
            "andel",
            "float",
            "Projektets andel i länet (summa 1 per projekt)",
            checks=(_between(0, 1, "en andel mellan 0 och 1"),),
        ),
        Column(
            "rus_prioritering",
            "text",
            "Prioritering i länets RUS (frivillig; ur länets lista i rus_prioriteringar)",
            nullable=True,
        ),
    ),
    unique=("arende_id", "lan_kod"),
)

RUS_PRIORITERINGAR = TableSchema(
    "rus_prioriteringar",
    "Regionernas RUS-prioriteringar (valfri)",
    (
        _LAN,
        Column("prioritering", "text", "En prioritering i länets regionala utvecklingsstrategi"),
    ),
    unique=("lan_kod", "prioritering"),
    optional=True,
)

PROJEKTINDIKATORER = TableSchema(
    "projektindikatorer",
    "Projektens indikatorer",
    (
        Column("arende_id", "code", "Ärendenummer (finns i projekt)"),
        Column("indikator", "text", "Indikatorns id", checks=(_SNAKE,)),
        Column(
            "steg",
            "text",
            "Steg i effektkedjan",
            checks=(_one_of(INDICATOR_STAGES, "ett av stegen"),),
        ),
        Column("enhet", "text", "Enhet"),
        Column("malvarde", "float", "Målvärde", nullable=True, checks=(_at_least(0),)),
        Column("utfall", "float", "Utfall", nullable=True, checks=(_at_least(0),)),
        Column("rapport", "text", "Rapport", checks=(_one_of(REPORT_TYPES, "en av rapporterna"),)),
        Column("datum", "date", "Rapportens datum"),
    ),
    unique=("arende_id", "indikator", "rapport", "datum"),
)

ENKATSVAR = TableSchema(
    "enkatsvar",
    "Enkätsvar till mognadsbedömningen",
    (
        Column("omgang", "int", "Omgång (år)", checks=(_YEAR,)),
        _LAN,
        Column("respondent", "text", "Respondentens id"),
        Column("roll", "text", "Respondentens roll", nullable=True),
        Column("fraga", "text", "Frågans id i mognadsmodellen"),
        Column(
            "svar",
            "int",
            "Svar 1–5, tomt = vet ej",
            nullable=True,
            checks=(_between(1, 5, "ett heltal 1–5 (eller tomt för 'vet ej')"),),
        ),
        Column("kommentar", "text", "Kommentar", nullable=True),
    ),
    unique=("omgang", "lan_kod", "respondent", "fraga"),
)

FORETAGSPANEL = TableSchema(
    "foretagspanel",
    "Företagspanel",
    (
        Column("foretag_id", "code", "Företagets id (fiktivt)"),
        _LAN,
        Column(
            "sni",
            "text",
            "Bransch, SNI 2007 avdelning",
            checks=(_matches(r"^[A-U]$", "en SNI-avdelning, en bokstav A–U"),),
        ),
        Column("ar", "int", "År", checks=(_YEAR,)),
        Column("anstallda", "float", "Medelantal anställda", checks=(_at_least(0),)),
        Column("omsattning_tkr", "float", "Omsättning, tkr", checks=(_at_least(0),)),
        Column("foradlingsvarde_tkr", "float", "Förädlingsvärde, tkr"),
        Column(
            "forsta_stodar",
            "int",
            "Första år med stöd, tomt = aldrig",
            nullable=True,
            checks=(_YEAR,),
        ),
        Column("arende_id", "code", "Stödjande projekt, tomt = aldrig", nullable=True),
    ),
    unique=("foretag_id", "ar"),
)

MOGNADSMAL = TableSchema(
    "mognadsmal",
    "Mållivåer i mognadsbedömningen (valfri)",
    (
        _LAN,
        Column("dimension", "text", "Dimensionens id i mognadsmodellen"),
        Column(
            "malniva",
            "int",
            "Målnivå 1–5",
            checks=(_between(1, 5, "en målnivå, ett heltal 1–5"),),
        ),
    ),
    unique=("lan_kod", "dimension"),
    optional=True,
)

MALKEDJA = TableSchema(
    "malkedja",
    "Regionernas målkedjor: RUS, understrategier och projekt (valfri)",
    (
        _LAN,
        Column(
            "mal_id",
            "text",
            "Målets id, unikt inom länet",
            checks=(_matches(r"^[A-Za-z0-9_.-]+$", "ett id med bokstäver a-z, siffror, _ . -"),),
        ),
        Column(
            "niva",
            "text",
            "Målets nivå: rus, understrategi eller projekt",
            checks=(_one_of(GOAL_LEVELS, "en av nivåerna"),),
        ),
        Column(
            "overordnat_mal_id",
            "text",
            "Det mål i samma län som målet bidrar till (tomt för ett RUS-mål)",
            nullable=True,
        ),
        Column("mal", "text", "Målet i ord"),
        Column(
            "indikator",
            "text",
            "RUS och understrategi: en serie i indikatorer; projekt: en projektindikator i "
            "effektkedjor.yaml; tomt = målet saknar indikator",
            nullable=True,
        ),
        Column(
            "arende_id",
            "code",
            "Projektmål: projektets ärendenummer (ett projekt i länet); tomt = utanför registret",
            nullable=True,
        ),
        Column("basar", "int", "Basår", nullable=True, checks=(_YEAR,)),
        Column("basvarde", "float", "Basvärde (tomt = seriens värde basåret)", nullable=True),
        Column("malar", "int", "Målår", nullable=True, checks=(_YEAR,)),
        Column("malvarde", "float", "Målvärde (tomt = ska öka/minska utan tal)", nullable=True),
        Column(
            "riktning",
            "text",
            "Riktning: oka eller minska",
            checks=(_one_of(GOAL_DIRECTIONS, "en av riktningarna"),),
        ),
        Column(
            "steg",
            "text",
            "Steget i effektkedjan (tomt = nivåns eller indikatorns steg)",
            nullable=True,
            checks=(_one_of(CHAIN_STAGES, "ett av effektkedjans steg"),),
        ),
        Column(
            "kalla", "text", "Varifrån målet kommer; Simulerad för simulerade mål", nullable=True
        ),
    ),
    unique=("lan_kod", "mal_id"),
    optional=True,
)

LARANDEPLANER = TableSchema(
    "larandeplaner",
    "Regionernas lärandeplaner (valfri)",
    (
        _LAN,
        Column(
            "plan_ar",
            "int",
            "Året då länets nuvarande lärandeplan antogs (tomt = ingen plan känd)",
            nullable=True,
            checks=(_YEAR,),
        ),
        Column(
            "under_revidering",
            "text",
            "Om planen håller på att revideras: ja eller nej (tomt = okänt)",
            nullable=True,
            checks=(_one_of(("ja", "nej"), "ja eller nej"),),
        ),
        Column("kalla", "text", "Varifrån uppgifterna kommer", nullable=True),
    ),
    unique=("lan_kod",),
    optional=True,
)

# Every table of the contract by name (the file stem in the data folder).
SCHEMAS: dict[str, TableSchema] = {
    s.name: s
    for s in (
        LAN,
        KOMMUNER,
        INDIKATORER,
        PROJEKT,
        PROJEKT_LAN,
        RUS_PRIORITERINGAR,
        PROJEKTINDIKATORER,
        ENKATSVAR,
        MOGNADSMAL,
        FORETAGSPANEL,
        MALKEDJA,
        LARANDEPLANER,
    )
}
