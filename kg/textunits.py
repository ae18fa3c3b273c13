"""The units of Chinese text the project splits on: sentence and clause marks, Han characters.

One definition for every module that cuts text into sentences or clauses
(:mod:`kg.textprep`, :mod:`kg.news`, the extractors) or asks whether a
character is Chinese, so that a sentence ends at the same marks everywhere.
Modules that need a variant (a clause mark set with line breaks, without
the enumeration comma) build it from these constants.
"""

from __future__ import annotations

import re

#: marks that end a sentence outright
FULL_STOPS = "。！？!?"
#: marks that end a sentence when text is split into sentences (full stops and semicolons)
SENTENCE_END = FULL_STOPS + "；;"
#: closing quotes and brackets that stay with the sentence they close
CLOSERS = "”’」』）)】》\"'"
#: commas and colons: they end a clause, not a sentence
CLAUSE_BREAKS = "，,：:"
#: the enumeration comma (、) between the items of a list
ENUMERATION_COMMA = "、"
#: marks that end a clause (without the enumeration comma)
CLAUSE_END = SENTENCE_END + CLAUSE_BREAKS
#: every mark inside or at the end of a sentence that cuts it into clauses
CLAUSE_MARKS = CLAUSE_END + ENUMERATION_COMMA

#: Han characters as a regex character-class body: CJK Unified Ideographs, Extension A and
#: the compatibility ideographs (OpenCC converts some of those too)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: one Han character
HAN_RE = re.compile(f"[{HAN}]")


def char_class(chars: str) -> str:
    """``chars`` as a regex character class, ``[...]``, every character escaped.

    Args:
        chars: The characters of the class.

    Returns:
        The class, for use inside a larger pattern.
    """
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Han character."""
    return HAN_RE.search(text) is not None
