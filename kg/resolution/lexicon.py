"""A general lexicon of bodies and their abbreviations (``kg/data/bodies.json``).

Resolution asks it two things: which body a name is a name of
(:meth:`Lexicon.body_of`: 国资委 and 国务院国有资产监督管理委员会 are one body,
ITU and 国际电信联盟 another), and the Latin/Chinese term pairs written out
before names are compared (DMP = 设备管理).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from kg.resolution.text import fold

LEXICON_FILE = Path(__file__).resolve().parents[1] / "data" / "bodies.json"


@dataclass(frozen=True)
class Lexicon:
    """Names of bodies, folded, to the full name of their body; and term pairs.

    Attributes:
        bodies: folded name (full, short or Latin) -> full name of the body.
        latin: folded Latin abbreviation -> full name of its body.
        terms: ``(folded Latin term, Chinese)`` pairs, longest first.
    """

    bodies: dict[str, str]
    latin: dict[str, str]
    terms: tuple[tuple[str, str], ...]

    def body_of(self, name: str) -> str | None:
        """The full name of the body ``name`` names (any form), or ``None``."""
        return self.bodies.get(fold(name))

    def latin_owner(self, name: str) -> str | None:
        """The body whose Latin abbreviation ``name`` is, or ``None``."""
        return self.latin.get(fold(name))


def load_lexicon(path: str | Path = LEXICON_FILE) -> Lexicon:
    """Read a lexicon file (the format of ``kg/data/bodies.json``).

    Args:
        path: The JSON file.

    Returns:
        The :class:`Lexicon`.

    Raises:
        ValueError: A name is given to two bodies.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    bodies: dict[str, str] = {}
    latin: dict[str, str] = {}
    for body in data.get("bodies", []):
        full = body["full"]
        for kind in ("full", "short", "latin"):
            names = [body[kind]] if kind == "full" else body.get(kind, [])
            for n in names:
                key = fold(n)
                if bodies.get(key, full) != full:
                    raise ValueError(f"{path}: {n} names both {bodies[key]} and {full}")
                bodies[key] = full
                if kind == "latin":
                    latin[key] = full
    terms = tuple(sorted(((fold(t["latin"]), t["full"]) for t in data.get("terms", [])),
                         key=lambda t: (-len(t[0]), t[0])))
    return Lexicon(bodies, latin, terms)


@functools.cache
def default_lexicon() -> Lexicon:
    """The bundled lexicon, read once per process."""
    return load_lexicon()
