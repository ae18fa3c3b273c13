"""The word lists of the organisation rules and the word tests built on them.

``data/org_lexicon.json`` holds the closed-class words (suffixes, stop
tokens, generic cores, level words ...); jieba's dictionary (word -> POS)
tells common words from names.
"""

from __future__ import annotations

import functools
import re

from extractors.lexicon import jieba_tags, load_json
from kg.textunits import HAN, HAN_RE

#: a character that can be part of an organisation's name
NAME_CHAR = re.compile(rf"[{HAN}A-Za-z0-9（）()·&\-]")


@functools.cache
def org_lexicon() -> dict:
    """``data/org_lexicon.json`` in the shapes the rules test against (cached).

    Returns:
        Key -> tuple, set or string; suffix lists are longest first where
        the first match must be the longest.
    """
    lex = load_json("org_lexicon.json")
    return {
        "suffixes": sorted(lex["suffixes"], key=len, reverse=True),
        "suffix_tuple": tuple(lex["suffixes"]),
        "long_suffixes": tuple(s for s in lex["suffixes"] if len(s) >= 2),
        "weak": set(lex["weak_suffixes"]),
        "stop": set(lex["stop_tokens"]),
        "generic": set(lex["generic_cores"]),
        "internal": tuple(lex["internal_bodies"]),
        "name_pos": set(lex["name_pos"]),
        "proper_pos": set(lex["proper_pos"]),
        "lead_strip": tuple(sorted(lex["lead_strip"], key=len, reverse=True)),
        "unit_facilities": tuple(lex["unit_facilities"]),
        "unit_breaks": tuple(lex["unit_breaks"]),
        "national": tuple(lex["national_prefixes"]),
        "gov_chars": lex["gov_suffix_chars"],
        "founding": tuple(sorted(lex["founding_verbs"], key=len, reverse=True)),
        "founded": tuple(lex["founded_suffixes"]),
        "kind_after": tuple(lex["kind_after"]),
        "award_words": tuple(lex["award_words"]),
        "online": tuple(lex["unit_online_words"]),
        "facilities": tuple(lex["facility_suffixes"]),
        "function_chars": lex["function_chars"],
        "verbal_pos": set(lex["verbal_pos"]),
        "levels": tuple(sorted(lex["level_words"], key=len, reverse=True)),
        "gov_after_place": tuple(lex["government_after_place"]),
        "nt_field_heads": tuple(lex["nt_field_heads"]),
        "kind_modifiers": tuple(lex["kind_modifiers"]),
        "kind_determiners": tuple(lex["kind_determiners"]),
        "list_kind_chars": lex["list_kind_chars"],
        "nt_kind_cores": set(lex["nt_kind_cores"]),
        "stem_followers": tuple(lex["stem_followers"]),
        "founder_words": tuple(lex["founder_words"]),
        "national_starts": tuple(lex["national_starts"]),
        "office_suffixes": tuple(lex["office_suffixes"]),
        "long_core_suffixes": tuple(lex["long_core_suffixes"]),
        "government_suffixes": tuple(lex["government_suffixes"]),
        "list_company_ends": tuple(lex["list_company_ends"]),
    }


def jieba_words() -> dict[str, str]:
    """jieba's dictionary: word -> POS tag."""
    return jieba_tags()


def is_han(word: str) -> bool:
    """Whether ``word`` is non-empty and all Han characters."""
    return bool(word) and all(HAN_RE.match(c) for c in word)


def suffix_inside_word(word: str, suffix: str | None) -> bool:
    """Whether a one-character suffix ends a common word instead (新格局, 中西部, 老干部).

    The suffix is real when the part before it is a word of its own (公安部,
    科技部) and the last two characters are not a direction word (西部).

    Args:
        word: A dictionary word or token ending in ``suffix``.
        suffix: The organisation suffix it ends in, or ``None``.
    """
    if suffix is None or len(suffix) != 1 or len(word) < 3:
        return False
    words = jieba_words()
    tail = words.get(word[-2:])
    return tail is not None and tail not in ("nt", "j") and (word[:-1] not in words or tail == "f")


def continues(text: str, end: int, word: str) -> bool:
    """Whether the name's last characters and the next ones form a longer word (大学城, 华强北).

    Args:
        text: The passage.
        end: Where the name ends.
        word: The name's last token.
    """
    words = jieba_words()
    nxt = text[end : end + 3]
    if not nxt or not is_han(nxt[0]):
        return False
    for k in (1, 2):
        combo = word[-2:] + nxt[:k]
        rest = nxt[k:]
        if (
            len(nxt) >= k
            and words.get(combo) in ("n", "ns", "s", "f")
            and (len(rest) <= 1 or not is_han(rest[:2]))
        ):
            return True
    after = org_lexicon()["kind_after"]
    return text.startswith(after, end)  # 联合政府部门: a modifier of a kind
