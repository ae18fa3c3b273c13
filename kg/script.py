"""Chinese script conversion: one OpenCC converter per direction, built once per process.

Traditional input is read, matched and named in Simplified script
(:func:`to_simplified`, OpenCC ``t2s``); the HTML view also maps Simplified
characters back to Traditional ones for its search (:func:`to_traditional`).
OpenCC loads its dictionaries when a converter is built, which takes a
noticeable fraction of a second, so every module asks this one for its
converter instead of building its own.
"""

from __future__ import annotations

import functools
import re

from kg.textunits import HAN


@functools.cache
def converter(config: str):  # noqa: ANN201 - opencc has no type hints
    """The OpenCC converter of ``config`` (``"t2s"`` or ``"s2t"``), built on first use.

    Args:
        config: OpenCC configuration name.

    Returns:
        An ``opencc.OpenCC`` instance.
    """
    import opencc  # deferred: loading the dictionaries takes time

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters and phrases converted to Simplified (OpenCC ``t2s``)."""
    return converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """``text`` converted from Simplified to Traditional (OpenCC ``s2t``)."""
    return converter("s2t").convert(text)


@functools.cache
def traditional_chars() -> re.Pattern[str]:
    """The Han characters :func:`to_simplified` changes on their own, as a character class.

    Text without one of them needs no conversion, which is most of a
    Simplified corpus; testing for them is much faster than converting.
    """
    chars = [chr(c) for start, end in _han_ranges() for c in range(start, end + 1)]
    converted = to_simplified("\n".join(chars)).split("\n")
    changed = [a for a, b in zip(chars, converted, strict=False) if a != b]
    return re.compile("[" + "".join(re.escape(c) for c in changed) + "]")


def _han_ranges() -> list[tuple[int, int]]:
    return [(ord(a), ord(b)) for a, b in re.findall(r"(.)-(.)", HAN)]
