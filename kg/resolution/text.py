"""The comparison form of a name (:func:`fold`) and the label form of the graph (:func:`clean_label`)."""

from __future__ import annotations

import functools
import re
import unicodedata

from kg.script import to_simplified

#: characters dropped when names are compared (quotes, brackets, dots, spaces, dashes)
_DROP = str.maketrans("", "", "“”‘’「」『』《》〈〉\"'()（）[]【】·・•.\u3000 \t\r\n-—_")
_SPACE = re.compile(r"\s+")


def clean_label(label: str) -> str:
    """A label as the graph writes it: NFKC, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", label)).strip()


@functools.lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """The comparison form of a name: NFKC, Simplified, no quotes/brackets/dots/spaces, Latin lower-case."""
    text = to_simplified(unicodedata.normalize("NFKC", name))
    return text.translate(_DROP).lower()
