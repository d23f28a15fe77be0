"""The synthesis' development figures are drawn ahead of it by the job ``syntes_underlag``: the
synthesis shows the very images that drawing them itself gives, and stops with a clear
message when they are missing, damaged or drawn from other data."""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
from test_synthesis_fixture import OMGANG, shared_run

from utvardering.batch.jobs import NATIONAL_FOLDER
from utvardering.dataset import load_dataset
from utvardering.errors import ReportError
from utvardering.origin import simulated_inputs
from utvardering.results import read_results, write_results
from utvardering.synthesis.development import regional_development
from utvardering.synthesis.report import TABLES, _on_data, development_figures, write_underlag
from utvardering.synthesis.report_type import REPORT_TYPE
from utvardering.synthesis.underlag import FOLDER, INDEX, StoredFigure

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam


def _build(korning_dir, data):
    params = REPORT_TYPE.parameters.check(korning_dir=str(korning_dir), omgang=OMGANG)
    return REPORT_TYPE.build(load_dataset(data, REPORT_TYPE.tables), params)


@pytest.fixture
def copied(tmp_path_factory, tmp_path):
    """A copy of the synthesis tests' run folder and of its data folder."""
    base, data = shared_run(tmp_path_factory)
    shutil.copytree(base, tmp_path / "korning")
    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "korning", tmp_path / "data"


def test_the_job_writes_in_the_batchs_national_folder():
    assert FOLDER == NATIONAL_FOLDER


def test_the_synthesis_shows_the_images_drawing_them_would_give(tmp_path_factory):
    base, data = shared_run(tmp_path_factory)
    synthesis = _build(base, data)
    ds = load_dataset(data, REPORT_TYPE.tables)
    short = dict(zip(ds.lan["lan_kod"], ds.lan["lan_kortnamn"], strict=True))
    on_data = _on_data(simulated_inputs(data, TABLES))
    drawn = development_figures(regional_development(ds.indikatorer), short, on_data)
    assert set(drawn) == {k for k in synthesis.figures if k.startswith("utveckling_")}
    assert len(drawn) == 3
    for name, figure in drawn.items():
        stored = synthesis.figures[name]
        assert isinstance(stored, StoredFigure)
        assert (stored.titel, stored.alt) == (figure.titel, figure.alt)
        assert stored.png() == figure.png()  # the same bytes, not just the same picture
    # and the synthesis saves them under its own names, as before
    files = synthesis.save(tmp_path_factory.mktemp("sparad"))
    assert files["utveckling_brp_per_inv"] == "syntes_utveckling_brp_per_inv.png"


def test_a_missing_index_stops_the_synthesis_and_says_how_to_draw_it(copied):
    korning, data = copied
    (korning / FOLDER / INDEX).unlink()
    with pytest.raises(ReportError) as caught:
        _build(korning, data)
    message = str(caught.value)
    assert "figurer över regional utveckling saknas" in message
    assert str(korning / FOLDER / INDEX) in message
    assert "utvardering kor --rapport syntes" in message


def test_figures_drawn_from_other_indicators_stop_the_synthesis(copied):
    korning, data = copied
    path = data / "indikatorer.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[table["indikator"] == "brp_per_inv"][0]
    table.loc[row, "varde"] = str(float(table.loc[row, "varde"]) + 1000)
    table.to_csv(path, index=False)
    with pytest.raises(ReportError, match="ritade från andra indikatordata"):
        _build(korning, data)
    write_underlag(data, korning / FOLDER)  # drawn again from the new data: accepted
    synthesis = _build(korning, data)
    assert "utveckling_brp_per_inv" in synthesis.figures


def test_a_changed_or_missing_image_stops_the_synthesis(copied):
    korning, data = copied
    index = read_results(korning / FOLDER / INDEX)
    image = korning / FOLDER / index["figurer"]["utveckling_brp_per_inv"]["fil"]
    image.write_bytes(image.read_bytes()[:100])
    with pytest.raises(ReportError, match=r"stämmer inte med syntes_underlag\.json"):
        _build(korning, data)
    image.unlink()
    with pytest.raises(ReportError, match="Syntesens figur utveckling_brp_per_inv saknas"):
        _build(korning, data)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: path.write_text("{", encoding="utf-8"), "är skadad"),
        (lambda path: write_results(path, {"version": 99}), "inte den form"),
    ],
)
def test_a_damaged_index_stops_the_synthesis(copied, damage, message):
    korning, data = copied
    damage(korning / FOLDER / INDEX)
    with pytest.raises(ReportError, match=message):
        _build(korning, data)


def test_the_index_describes_each_image_by_its_hash(tmp_path_factory):
    base, _ = shared_run(tmp_path_factory)
    index = read_results(base / FOLDER / INDEX)
    for entry in index["figurer"].values():
        data = (base / FOLDER / entry["fil"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["fil"].startswith("syntes_underlag_utveckling_")


def test_a_stored_figure_has_one_resolution():
    figure = StoredFigure(None, "Titel", "Alt", image=b"\x89PNG")
    assert figure.png() == b"\x89PNG"
    with pytest.raises(ReportError, match="ritad i förväg"):
        figure.png(dpi=300)


def test_simulated_indicators_are_named_and_stale_figures_are_refused(copied):
    """The notice of simulated inputs is part of what the figures are drawn from: marking the
    indicators simulated makes the stored figures stale, and drawn again they name it."""
    korning, data = copied
    assert not (data / "datakallor.yaml").exists()  # the test run's data: every input real
    (data / "datakallor.yaml").write_text(
        "tabeller:\n  indikatorer:\n    art: simulerad\n"
        "    simulerat: de regionala indikatorerna\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportError, match="ritade från andra indikatordata"):
        _build(korning, data)
    write_underlag(data, korning / FOLDER)
    figure = _build(korning, data).figures["utveckling_brp_per_inv"]
    line = "Simulerade indata: de regionala indikatorerna (indikatorer)."
    assert line in figure.titel and line in figure.alt
