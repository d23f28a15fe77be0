"""Installed versions of distributions, read from their ``*.dist-info`` folder names.

Every run records the versions of the libraries it ran on, and a run with nothing to do must
start in well under a second: :mod:`importlib.metadata` costs a tenth of a second to import and
parse each library's metadata. A wheel installed by pip lives in ``<name>-<version>.dist-info``
(both normalised), so the names of the folders on ``sys.path`` say the same thing; a
distribution found another way (an ``.egg-info``, a custom finder) is asked of
:mod:`importlib.metadata`.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache

__all__ = ["installed_version"]

_SEPARATORS = re.compile(r"[-_.]+")


def _normalise(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()


@cache
def _dist_info(path: tuple[str, ...]) -> dict[str, str]:
    """Normalised name → version of every ``*.dist-info`` folder on ``path``, the first of a
    name winning (as the import system finds the first)."""
    found: dict[str, str] = {}
    for entry in path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                if version:
                    found.setdefault(_normalise(name), version)
    return found


def installed_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or None if it is not installed."""
    version = _dist_info(tuple(sys.path)).get(_normalise(name))
    if version is not None:
        return version
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version(name)
    except PackageNotFoundError:
        return None
