"""What readers of the goal chain report see, pinned.

The reports of Kronobergs län (07: the goals of Region Kronoberg's plan) and Skåne län (12:
a simulated goal chain with projects in the register) are built in-process from the shipped
data folder, and each section's text (Markdown, figure titles and alt texts, table cells) is
compared with ``tests/snapshots/malkedja/<section>.txt`` and ``12_<section>.txt``; the short
report of a region without goals with ``inga_mal_utan_mal.txt``. To accept a change on purpose,
run with ``UPPDATERA_SNAPSHOTS=1`` and review the diff of the snapshot files.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import DATA
from snapshots import assert_snapshot

from utvardering.dataset import load_dataset
from utvardering.goals.parameters import GoalChainParameters
from utvardering.goals.report import GoalChainReport
from utvardering.goals.report_type import REPORT_TYPE


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


@pytest.fixture(scope="module")
def kronoberg(ds) -> GoalChainReport:
    return REPORT_TYPE.build(ds, GoalChainParameters.check(lan_kod="07"))


@pytest.fixture(scope="module")
def skane(ds) -> GoalChainReport:
    return REPORT_TYPE.build(ds, GoalChainParameters.check(lan_kod="12"))


@pytest.mark.parametrize("name", list(GoalChainReport.SECTIONS))
def test_section_text_kronoberg(kronoberg, name):
    assert_snapshot(f"malkedja/{name}", kronoberg.section(name).snapshot_text())


@pytest.mark.parametrize("name", list(GoalChainReport.SECTIONS))
def test_section_text_simulated_region(skane, name):
    assert_snapshot(f"malkedja/12_{name}", skane.section(name).snapshot_text())


def test_section_for_a_region_without_goals(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel*", "enkatsvar*"))
    goals = pd.read_csv(data / "malkedja.csv", dtype=str, keep_default_na=False)
    goals[goals["lan_kod"] != "07"].to_csv(data / "malkedja.csv", index=False)
    report = REPORT_TYPE.build(
        load_dataset(data, REPORT_TYPE.tables), GoalChainParameters.check(lan_kod="07")
    )
    text = "\n\n".join(
        report.section(name).snapshot_text() for name in ("titel", "inga_mal", "sammanfattning")
    )
    assert_snapshot("malkedja/inga_mal_utan_mal", text)
