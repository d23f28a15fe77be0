"""Faults at the input boundary: the validated-data cache, characters that must not pass
validation, Unicode normalisation, and large tables."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pandas as pd

from utvardering.dataset import CACHE_ENV, TABLES, load_dataset


def _assert_same(got, expected) -> None:
    for name in TABLES:
        a, b = getattr(got, name), getattr(expected, name)
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        else:
            assert a == b, name


# --- the cache holds data, never code, and is checked before use ----------------------------


class _Planted:
    """Unpickling this makes a directory: the mark that a cache file ran as code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_planted_pickle_in_the_cache_never_runs(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    parts = ["lan", "enkatsvar"]
    fresh = load_dataset(data_copy, parts)
    marker = tmp_path / "planted-pickle-ran"
    payload = pickle.dumps(_Planted(marker))
    written = list(cache.iterdir())
    assert written
    # Every file the cache wrote, and a pickle beside each, now holds the payload.
    for path in written:
        path.write_bytes(payload)
        path.with_suffix(".pickle").write_bytes(payload)
    again = load_dataset(data_copy, parts)
    assert not marker.exists()
    pd.testing.assert_frame_equal(again.enkatsvar, fresh.enkatsvar)
    pd.testing.assert_frame_equal(again.lan, fresh.lan)


def _other_folder(data_copy: Path, tmp_path: Path) -> Path:
    other = tmp_path / "annan"
    shutil.copytree(data_copy, other)
    frame = pd.read_csv(other / "lan.csv", dtype=str, keep_default_na=False)
    frame["lan_namn"] = frame["lan_namn"] + " (fel data)"
    frame.to_csv(other / "lan.csv", index=False)
    return other


def test_swapped_cache_files_give_the_true_data(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["lan"])
    ours = set(cache.iterdir())
    other = load_dataset(_other_folder(data_copy, tmp_path), ["lan"])
    theirs = sorted(set(cache.iterdir()) - ours)
    assert theirs
    assert not other.lan.equals(fresh.lan)
    # Each of our files is replaced by a valid file of the other folder's entry.
    for path in ours:
        same_kind = [p for p in theirs if p.name.split(".", 1)[-1] == path.name.split(".", 1)[-1]]
        shutil.copyfile((same_kind or theirs)[0], path)
    again = load_dataset(data_copy, ["lan"])
    pd.testing.assert_frame_equal(again.lan, fresh.lan)


def test_edited_cache_bytes_give_the_true_data(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["lan"])
    edited = 0
    for path in cache.iterdir():
        data = path.read_bytes()
        if b"Stockholm" in data:
            path.write_bytes(data.replace(b"Stockholm", b"Stockhxlm"))
            edited += 1
    assert edited
    again = load_dataset(data_copy, ["lan"])
    pd.testing.assert_frame_equal(again.lan, fresh.lan)
    assert "Stockhxlms län" not in set(again.lan["lan_namn"])


def test_cache_round_trips_every_part_exactly(data_copy, tmp_path, monkeypatch):
    fresh = load_dataset(data_copy)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    load_dataset(data_copy)
    hit = load_dataset(data_copy)
    _assert_same(hit, fresh)
    assert hit.files == fresh.files
    for name in ("projekt", "enkatsvar", "foretagspanel"):
        for column in getattr(fresh, name):
            kinds = getattr(fresh, name)[column].map(type)
            assert getattr(hit, name)[column].map(type).equals(kinds), (name, column)
    assert not list((tmp_path / "cache").glob("*.pickle"))
