"""Document metadata read from the text itself: publisher, report year, script.

These are guesses used when the input does not say (a plain ``.txt`` file);
explicit metadata (JSON Lines fields, the bundled manifest) always wins.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.groups import publisher_detection_names
from kg.script import to_simplified
from kg.textunits import HAN_RE

# Names of each group, in both scripts, from groups.json. Full names are
# unambiguous; short names (联通 is also an ordinary verb, "connected") count for less.
_SHORT_WEIGHT = 0.5

# "2020 年", "2020年", "2020\t年"; not part of a longer number.
_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[ \t\u3000]*年")
_YEAR_MIN, _YEAR_MAX = 2000, 2030

_SCRIPT_SAMPLE = 20000


def detect_publisher(text: str) -> str | None:
    """Guess which telecom group wrote ``text``.

    Counts the group names in Simplified and Traditional script (中国移动 /
    中國移動 / 中移, 中国联通 / 聯通, 中国电信 / 中國電信); short names weigh less.

    Args:
        text: Document text.

    Returns:
        ``"中国移动"``, ``"中国联通"`` or ``"中国电信"``, or None when no group is named.
    """
    scores: dict[str, float] = {}
    for group, (full, short) in publisher_detection_names().items():
        n_full = _count_names(text, full)
        # Short names also occur inside the full names; count only the rest.
        n_short = max(0, _count_names(text, short) - n_full)
        scores[group] = n_full + _SHORT_WEIGHT * n_short
    best = max(scores, key=lambda g: (scores[g], g))
    if scores[best] < 1:
        return None
    return best


def _count_names(text: str, names: tuple[str, ...]) -> int:
    # Longest names first so that 中国移动通信集团 counts once, not twice.
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return len(re.findall(pattern, text))


def year_counts(text: str) -> Counter[int]:
    """Count plausible years (2000-2030) written as ``2020 年`` / ``2020年``.

    Args:
        text: Document text.

    Returns:
        A counter of years.
    """
    counts: Counter[int] = Counter()
    for m in _YEAR_RE.finditer(text):
        year = int(m.group(1))
        if _YEAR_MIN <= year <= _YEAR_MAX:
            counts[year] += 1
    return counts


def detect_year(text: str) -> int | None:
    """Guess the report year of ``text``.

    A report mentions its own year most, but also the years before it (for
    comparison) and sometimes the next one (targets). Among the years counted
    at least half as often as the most frequent one, the latest is taken.

    Args:
        text: Document text.

    Returns:
        The year, or None when no year is written.
    """
    counts = year_counts(text)
    if not counts:
        return None
    top = max(counts.values())
    frequent = [y for y, n in counts.items() if n * 2 >= top]
    return max(frequent)


def detect_script(text: str) -> str:
    """Tell whether ``text`` is mostly Traditional or Simplified Chinese.

    Runs OpenCC ``t2s`` over (a sample of) the Chinese characters and counts
    how many change; Simplified text barely changes, Traditional text changes
    a fifth or more of its characters.

    Args:
        text: Document text.

    Returns:
        ``"Hant"`` or ``"Hans"`` (also for text with no Chinese).
    """
    chars = "".join(HAN_RE.findall(text[: _SCRIPT_SAMPLE * 4]))[:_SCRIPT_SAMPLE]
    if not chars:
        return "Hans"
    converted = to_simplified(chars)
    changed = sum(1 for a, b in zip(chars, converted, strict=False) if a != b)
    return "Hant" if changed / len(chars) > 0.05 else "Hans"
