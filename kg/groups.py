"""The telecom groups, read from their one source, ``extractors/data/groups.json``.

The extractors (:mod:`extractors.lexicon`), publisher detection
(:mod:`kg.metadata`) and name rules (:mod:`extractors.names`,
:mod:`extractors.platforms`) all take the groups' names from that file. It
is found without importing the :mod:`extractors` package, so reading a
document's metadata does not pay for importing spaCy.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

#: the data file, inside the ``extractors`` package
GROUPS_FILE = ("data", "groups.json")


@functools.cache
def group_data() -> tuple[dict, ...]:
    """The entries of ``groups.json``, in file order (read once per process).

    Returns:
        One dict per group: ``canonical``, ``short``, ``aliases``, ... and, for
        the groups recognised as publishers, ``publisher`` with its ``full``
        and ``short`` names.

    Raises:
        FileNotFoundError: The ``extractors`` package or its data file is not installed.
    """
    spec = importlib.util.find_spec("extractors")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder).joinpath(*GROUPS_FILE)
        if path.is_file():
            return tuple(json.loads(path.read_text(encoding="utf-8"))["groups"])
    raise FileNotFoundError(f"extractors/{'/'.join(GROUPS_FILE)} is not installed (searched {folders})")


def publisher_names() -> tuple[str, ...]:
    """Canonical names of the groups recognised as publishers (中国移动, 中国联通, 中国电信)."""
    return tuple(g["canonical"] for g in group_data() if "publisher" in g)


def publisher_detection_names() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per publisher group, the names counted to tell that it wrote a text.

    Returns:
        ``canonical -> (full names, short names)``, both scripts; short names
        also occur as ordinary words and weigh less.
    """
    return {
        g["canonical"]: (tuple(g["publisher"]["full"]), tuple(g["publisher"]["short"]))
        for g in group_data()
        if "publisher" in g
    }
