"""Where things are in a text: sentences, lines, clauses, quotes, mentions inside mentions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors import doc_text
from extractors.relations.cues import relation_cues
from kg.model import Mention
from kg.textunits import CLAUSE_END, SENTENCE_END, char_class

_SENTENCE_END = re.compile(char_class(SENTENCE_END + "\n"))
#: the end of a clause: 。，；： and the like, or a newline
CLAUSE_END_RE = re.compile(char_class(CLAUSE_END + "\n"))
_TERMINAL = re.compile(char_class(SENTENCE_END))
OPEN_QUOTES = '“「『《‘"'
CLOSE_QUOTES = '”」』》’"'
#: what may stand before a name at the start of a line: spaces, bullets' stars, opening quotes
LEAD_NOISE = ' \t*“「『‘"《'


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans of ``doc``: from ``kg_meta["sentences"]`` or by punctuation."""
    given = (doc._.kg_meta or {}).get("sentences")
    if given:
        return [tuple(s) for s in given]
    text = doc_text(doc)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Line:
    """One line of prepared text (a paragraph, heading, bullet or table row).

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character (the newline excluded).
        bullet: The line starts with a bullet character.
        heading: Short and without sentence-final punctuation.
    """

    start: int
    end: int
    bullet: bool
    heading: bool


def text_lines(text: str) -> list[Line]:
    """Split prepared text into :class:`Line` records (empty lines dropped).

    Args:
        text: Prepared text of a segment.

    Returns:
        Lines in order.
    """
    bullets = relation_cues()["bullet_chars"]
    out, start = [], 0
    for piece in text.split("\n"):
        end = start + len(piece)
        body = piece.strip()
        if body:
            bullet = body[0] in bullets
            heading = not bullet and len(body) <= 30 and not _TERMINAL.search(body)
            out.append(Line(start, end, bullet, heading))
        start = end + 1
    return out


def preceded_by(text: str, start: int, words: tuple[str, ...], window: int = 6) -> bool:
    """Whether one of ``words`` ends the ``window`` characters before ``start`` (stars and spaces aside)."""
    before = text[max(0, start - window) : start].rstrip(" *")
    return before.endswith(tuple(words))


def followed_by(text: str, end: int, words: tuple[str, ...], window: int = 12) -> bool:
    """Whether one of ``words`` (or 等 + one) starts right after ``end`` (stars and spaces aside)."""
    after = text[end : end + window].lstrip(" *")
    return any(after.startswith(w) or after.startswith("等" + w) for w in words)


def clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause holding ``pos`` (after the last 。，；： before it, not before ``floor``)."""
    k = pos - 1
    while k >= floor and not CLAUSE_END_RE.match(text[k]):
        k -= 1
    return k + 1


def inside(m: Mention, others: list[Mention], labels: tuple[str, ...] | None = None) -> bool:
    """``m`` lies inside a longer mention (of ``labels`` if given)."""
    return any(
        o is not m
        and o.start <= m.start
        and m.end <= o.end
        and (o.end - o.start) > (m.end - m.start)
        and (labels is None or o.label in labels)
        for o in others
    )


def in_quoted_name(text: str, m: Mention, window: int = 24) -> bool:
    """``m`` is part of a longer quoted name (「思明区见义勇为模范」)."""
    left = text[max(0, m.start - window) : m.start]
    opener = max((left.rfind(q) for q in OPEN_QUOTES), default=-1)
    if opener < 0 or any(c in left[opener + 1 :] for c in CLOSE_QUOTES if c != '"'):
        return False
    right = text[m.end : m.end + window]
    closer = min((i for i in (right.find(q) for q in CLOSE_QUOTES) if i >= 0), default=-1)
    if closer < 0:
        return False
    return bool(left[opener + 1 :].strip() or right[:closer].strip())


def starting_in(ms: list[Mention], starts: list[int], s: int, e: int) -> list[Mention]:
    """Mentions of ``ms`` (sorted, ``starts`` their start offsets) starting in ``[s, e)``."""
    return ms[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
