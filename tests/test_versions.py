"""Installed versions read from the dist-info folder names agree with importlib.metadata."""

from __future__ import annotations

import sys
from importlib.metadata import version

import pytest

from utvardering import __version__
from utvardering.batch.fingerprint import DEPENDENCIES
from utvardering.versions import _dist_info, installed_version


@pytest.mark.parametrize("name", [*DEPENDENCIES, "utvardering", "PyYAML", "typing_extensions"])
def test_same_version_as_importlib_metadata(name):
    assert installed_version(name) == version(name)


def test_the_package_version():
    assert __version__ == version("utvardering")


def test_not_installed():
    assert installed_version("ingen-sadan-distribution-finns") is None


def test_first_on_the_path_wins_and_odd_folders_are_ignored(tmp_path, monkeypatch):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, names in (
        (first, ["Foo_Bar-2.0.dist-info", "konstig.dist-info", "baz-1.0.egg-info"]),
        (second, ["foo.bar-1.0.dist-info", "qux-3.1.dist-info"]),
    ):
        for name in names:
            (folder / name).mkdir(parents=True)
    path = (str(first), str(tmp_path / "saknas"), str(second))
    assert _dist_info(path) == {"foo-bar": "2.0", "qux": "3.1"}
    monkeypatch.setattr(sys, "path", list(path))
    assert installed_version("foo-bar") == "2.0"
    assert installed_version("QUX") == "3.1"
