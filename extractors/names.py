"""Name-boundary helpers shared by the program and platform components.

Chinese initiative and product names are found in two ways: as quoted phrases
(“蓝色梦想”, 「联通碳生活」) and as noun phrases that end in a type word
(绿色行动计划, 渝益农平台). The helpers here find quotes, read a name leftwards
from its type word up to the verb, preposition, numeral or punctuation that
introduces it, and turn a surface form into a canonical name and aliases.

Lexicons are plain text data files under ``extractors/data``; see
:func:`load_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.attrs import IDX, SPACY

from extractors import doc_text
from extractors.lexicon import DATA_DIR, alternation, load_json
from kg.groups import publisher_names
from kg.textunits import CLAUSE_MARKS, HAN, HAN_RE, char_class

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.model import Mention


#: the word lists of data/name_cues.json (read once, at import)
_CUES = load_json("name_cues.json")
OPEN_QUOTES = "“‘「『"
CLOSE_QUOTES = "”’」』"
QUOTE_CHARS = set(OPEN_QUOTES + CLOSE_QUOTES + "\"'")
_DROP_QUOTES = str.maketrans("", "", "".join(QUOTE_CHARS))
_PAIR = dict(zip(OPEN_QUOTES, CLOSE_QUOTES, strict=True))
_QUOTE_OR_BREAK = re.compile("[\n" + OPEN_QUOTES + CLOSE_QUOTES + "]")

_NUM_MEASURE = re.compile(
    r"^(?:[0-9.,]+|[一二三四五六七八九十两百千万几多数]+)(?:余|多)?"
    r"[期场个项次批名所家间届轮季支座款位人户条套类种辆台张份篇门部处]$"
)
_ORDINAL_PREFIX = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年(?:度)?|第\s*[0-9一二三四五六七八九十百]+\s*[届期季轮批次]|首届|首期|首批)\s*"
)
_LATIN_SPACE = re.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")
# jieba tags: preposition, conjunction, pronoun, structural particles, interjections
STOP_TAGS = frozenset({"p", "c", "r", "uj", "ul", "ud", "uz", "ug", "e", "y"})
_PAREN = re.compile(r"\(([^()]{1,20})\)")


def load_words(name: str) -> frozenset[str]:
    """Read a whitespace-separated word list from ``extractors/data``.

    Lines starting with ``#`` are comments; words may be written one per line
    or several per line separated by spaces.

    Args:
        name: File name inside the data folder.

    Returns:
        The set of words.
    """
    return _load_words(str(DATA_DIR / name))


@cache
def _load_words(path: str) -> frozenset[str]:
    words: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words.update(line.split())
    return frozenset(words)


def load_suffixes(name: str) -> tuple[tuple[str, int], ...]:
    """Read a type-word list; ``!`` marks a weak, ``?`` a strict, ``=`` a quote-only type word.

    Args:
        name: File name inside the data folder.

    Returns:
        ``(word, level)`` pairs (0 plain, 1 weak, 2 strict, 3 quote-only), longest first.
    """
    out = []
    for w in load_words(name):
        level = {"!": 1, "?": 2, "=": 3}.get(w[:1], 0)
        out.append((w.lstrip("!?="), level))
    return tuple(sorted(out, key=lambda p: (-len(p[0]), p[0])))


def load_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Read a tab-separated table from ``extractors/data`` (``#`` comments).

    Args:
        name: File name inside the data folder.

    Returns:
        One tuple of fields per non-comment line.
    """
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(line.rstrip("\n").split("\t")))
    return tuple(rows)


@dataclass(frozen=True)
class Quote:
    """A quoted phrase: ``start``/``end`` include the quote marks."""

    start: int
    end: int

    def inner(self, text: str) -> str:
        """The text between the marks."""
        return text[self.start + 1 : self.end - 1]


def find_quotes(text: str) -> list[Quote]:
    """Find outermost balanced quotes (“…”, ‘…’, 「…」, 『…』), nesting allowed.

    A quote never spans a line break: unbalanced marks are dropped.

    Args:
        text: Prepared text.

    Returns:
        Outermost quotes in text order.
    """
    quotes: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for m in _QUOTE_OR_BREAK.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            stack.clear()
        elif ch in _PAIR:
            stack.append((ch, i))
        elif ch in CLOSE_QUOTES:
            # close the nearest matching opener; drop unmatched ones above it
            for k in range(len(stack) - 1, -1, -1):
                if _PAIR[stack[k][0]] == ch:
                    start = stack[k][1]
                    del stack[k:]
                    if not stack:
                        quotes.append(Quote(start, i + 1))
                    break
    return quotes


def book_title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 titles (documents), which never hold a program name of their own."""
    return [(m.start(), m.end()) for m in re.finditer(r"《[^《》\n]{0,80}》", text)]


def strip_quotes(name: str) -> str:
    """Remove quote marks from a name (爱“心”行动 -> 爱心行动)."""
    return name.translate(_DROP_QUOTES)


def tidy(name: str) -> str:
    """Canonical spacing: drop spaces except between two Latin letters, strip ``**``."""
    name = name.replace("*", "")
    name = _LATIN_SPACE.sub("\u0001", name)
    name = re.sub(r"\s+", "", name)
    return name.replace("\u0001", " ").strip()


def canonical_form(surface: str) -> str:
    """Canonical name of a surface form: quotes removed, spaces tidied."""
    return tidy(strip_quotes(surface))


def strip_ordinal(name: str) -> str:
    """Drop a leading year or ordinal (2023年, 第五届, 首届) from a name."""
    return _ORDINAL_PREFIX.sub("", name)


def strip_parenthetical(name: str) -> tuple[str, list[str]]:
    """Remove short parenthesised glosses: ``EAP(员工帮助计划)专员培训班``.

    Args:
        name: A canonical name.

    Returns:
        The name without the glosses and the glosses themselves.
    """
    glosses = _PAREN.findall(name)
    return _PAREN.sub("", name), glosses


def has_han(s: str) -> bool:
    """True when ``s`` contains a CJK ideograph."""
    return bool(HAN_RE.search(s))


def is_num_measure(token: str) -> bool:
    """True for a numeral plus measure word token (两期, 37场, 四期)."""
    return bool(_NUM_MEASURE.match(token.replace(" ", "")))


#: ``doc.user_data`` key of the tokens read by :meth:`Tokens.of_doc`
_TOKENS_KEY = "kg_tokens"


@dataclass
class Tokens:
    """Token boundaries of a text (from a spaCy ``Doc`` or any segmenter)."""

    starts: list[int]
    ends: list[int]
    texts: list[str]

    @classmethod
    def of_doc(cls, doc: Doc) -> Tokens:
        """The tokens of ``doc``, read once per ``Doc`` and kept in ``doc.user_data``.

        Several components walk the tokens; each spaCy ``Token`` is a new
        object on every walk, so the offsets are read as arrays instead.
        """
        tokens = doc.user_data.get(_TOKENS_KEY)
        if tokens is None:
            text = doc_text(doc)
            starts = doc.to_array(IDX).tolist()
            # a token ends where the next one starts, less the space after it
            nexts = [*starts[1:], len(text)] if starts else []
            ends = [n - sp for n, sp in zip(nexts, doc.to_array(SPACY).tolist(), strict=True)]
            texts = [text[s:e] for s, e in zip(starts, ends, strict=True)]
            tokens = doc.user_data[_TOKENS_KEY] = cls(starts, ends, texts)
        return tokens

    def index_ending_at(self, pos: int) -> int | None:
        """Index of the token ending exactly at ``pos``, or ``None``."""
        import bisect

        k = bisect.bisect_left(self.ends, pos)
        if k < len(self.ends) and self.ends[k] == pos:
            return k
        return None

    def index_containing(self, pos: int) -> int | None:
        """Index of the token containing character ``pos``."""
        import bisect

        k = bisect.bisect_right(self.starts, pos) - 1
        if 0 <= k < len(self.starts) and self.starts[k] <= pos < self.ends[k]:
            return k
        return None


def extend_left(
    text: str,
    tokens: Tokens,
    pos: int,
    stops: frozenset[str],
    quotes_by_end: dict[int, Quote],
    max_chars: int = 24,
    floor: int = 0,
    pos_tag: Callable[[str], str | None] | None = None,
) -> int:
    """Read a name leftwards from ``pos`` (the start of its type word).

    The name takes whole tokens and whole quotes until it meets punctuation,
    a line break or tab, a stop word (verb, preposition, conjunction,
    pronoun), a numeral with a measure word (两期, 37场), or an opening quote
    whose closing mark lies to the right (the name sits inside that quote).

    Args:
        text: Prepared text.
        tokens: Token boundaries of ``text``.
        pos: Character offset where the type word starts.
        stops: Stop words.
        quotes_by_end: Quotes keyed by their end offset.
        max_chars: Longest name body read.
        floor: Never read left of this offset.
        pos_tag: Dictionary part-of-speech of a word (jieba tags); words
            tagged as prepositions, conjunctions, pronouns or structural
            particles stop the name.

    Returns:
        Start offset of the name.
    """
    start = pos
    while start > floor and pos - start < max_chars:
        step = _mark_step(text, start, floor, quotes_by_end)
        if step is None:  # a name character: read the token that ends here
            step = _token_step(text, tokens, start, floor, stops, pos_tag)
        start, stop = step
        if stop:
            break
    return start


#: characters that may be part of a name besides letters and digits
_NAME_MARKS = "+/-·&."


def _mark_step(text: str, start: int, floor: int, quotes_by_end: dict[int, Quote]) -> tuple[int, bool] | None:
    """One step of :func:`extend_left` over the mark before ``start``: ``(new start, stop)``.

    A whole quote, a short gloss in brackets or a space between Latin words
    and numbers is taken; other quotes and punctuation stop the name.

    Returns:
        ``None`` when the character before ``start`` belongs to a word.
    """
    ch = text[start - 1]
    if ch in CLOSE_QUOTES and start in quotes_by_end:
        q = quotes_by_end[start]
        if q.start < floor:
            return start, True
        if q.start > 0 and text[q.start - 1] in CLOSE_QUOTES:
            # a run of quotes (“A”“B”… 系列活动): the type word is shared, not a name part
            return start, True
        return q.start, False
    if ch in OPEN_QUOTES or ch in CLOSE_QUOTES:
        return start, True
    if ch in ")）":
        # a short gloss inside the name: EAP(员工帮助计划)专员培训班
        k = max(text.rfind("(", floor, start), text.rfind("（", floor, start))
        if 0 <= k and start - k <= 14 and k > floor and text[k - 1].isalnum():
            return k, False
        return start, True
    if ch == " ":
        # PDF text puts spaces around numbers and Latin words: keep them
        # when both neighbours could be part of one name
        left, right = text[start - 2 : start - 1], text[start : start + 1]
        if start - 2 >= floor and left.isalnum() and right.isalnum() and (left.isascii() or right.isascii()):
            return start - 1, False
        return start, True
    if not (ch.isalnum() or ch in _NAME_MARKS):
        return start, True
    return None


def _token_step(
    text: str,
    tokens: Tokens,
    start: int,
    floor: int,
    stops: frozenset[str],
    pos_tag: Callable[[str], str | None] | None,
) -> tuple[int, bool]:
    """One step of :func:`extend_left` over the token that ends at ``start``: ``(new start, stop)``."""
    k = tokens.index_containing(start - 1)
    if k is None:
        return start, True
    tok_start = max(tokens.starts[k], floor)
    piece = text[tok_start:start]
    # a token that runs into the name (the segmenter merged a word with the type word) counts by its
    # part inside, and by its whole when that is a stop word
    if piece in stops or text[tokens.starts[k] : tokens.ends[k]] in stops:
        return start, True
    if pos_tag is not None and pos_tag(piece) in STOP_TAGS:
        return start, True
    if is_num_measure(piece):
        return start, True
    if re.fullmatch(r"[0-9.,]+", piece) and start < len(text) and text[start] in "期场个项次批名所家间":
        return start, True
    if not all(c.isalnum() or c in _NAME_MARKS for c in piece):
        # mixed token (punctuation inside): take only the trailing name characters
        j = start
        while j > tok_start and (text[j - 1].isalnum() or text[j - 1] in _NAME_MARKS):
            j -= 1
        return j, True
    # numeral + measure split across the token edge: "37|场悦读"
    if k > 0 and re.fullmatch(r"[0-9.,]+", tokens.texts[k - 1]) and piece[:1] in "期场个项次批届":
        return tok_start + 1, True
    return tok_start, False


#: full group names that start a name of their own (观看中国移动…宣传周 -> 中国移动…宣传周)
GROUP_NAMES = publisher_names()
_LEAD_JUNK = set(" *-+/.&·•●■◆※>")
_LEAD_COUNT = re.compile(
    r"[0-9]+(?:\.[0-9]+)?[余多]?[个项家款套类种批期所座条]"
    r"|第[一二三四五六七八九十0-9]+[个项家款套类种]"
    r"|[0-9]+(?=图[0-9]|[（(][一二三四五六七八九十0-9]{1,3}[)）])|图[0-9]+(?:[-.][0-9]+)?"
    r"|[（(][一二三四五六七八九十0-9]{1,3}[)）]"
)


def trim_start(
    text: str,
    tokens: Tokens,
    start: int,
    end: int,
    stops: frozenset[str],
    quotes: Sequence[Quote] = (),
    min_rest: int = 3,
    known: Callable[[str], object] | None = None,
) -> int:
    """Move the start of a name read by :func:`extend_left` past words that introduce it.

    Works on whole tokens, so a stop word is only dropped where the
    segmenter made it a word of its own (共创交流平台 keeps 共创; 有力提升
    keeps 有力). Also drops leading list marks (``-``) and starts the name at
    a full group name found inside it (观看中国移动2019年节能宣传周 ->
    中国移动2019年节能宣传周), unless that group name is quoted.

    Args:
        text: Prepared text.
        tokens: Token boundaries of ``text``.
        start: Start of the name as read.
        end: End of the name (after its type word).
        stops: Stop words.
        quotes: Quotes of the text.
        min_rest: Characters that must remain after a dropped word.
        known: Dictionary lookup (e.g. jieba's part of speech); a token the
            dictionary does not know was guessed by the segmenter, and a stop
            word may be split off its front (以翼|支付平台 -> 翼支付平台).

    Returns:
        The new start offset.
    """
    for g in GROUP_NAMES:
        k = text.find(g, start + 1, end)
        if k > start and not any(q.start < k < q.end for q in quotes):
            start = k
    while start < end:
        while start < end and text[start] in _LEAD_JUNK:
            start += 1
        lead = _LEAD_COUNT.match(text, start, end)
        if lead and end - lead.end() >= min_rest:
            start = lead.end()  # 10余个算力调度平台, 第一个格物平台, 24图8泰尔网测APP
            continue
        if start >= end or text[start] in OPEN_QUOTES:
            return start
        k = tokens.index_containing(start)
        if k is None or tokens.starts[k] != start:
            return start
        # the longest run of stop words made of whole tokens (集团|级, 深入开展)
        cut = None
        j = k
        while j < len(tokens.ends) and tokens.ends[j] - start <= 6 and tokens.ends[j] <= end:
            piece = text[start : tokens.ends[j]]
            if has_han(piece) and end - tokens.ends[j] >= min_rest and all_stops(piece, stops):
                cut = tokens.ends[j]
            j += 1
        if cut is None and known is not None and not known(text[start : tokens.ends[k]]):
            # a guessed token (以翼, 为车): a stop word at its front is not part of the name
            for n in (3, 2, 1):
                head = text[start : start + n]
                if tokens.ends[k] - start > n and head in stops and end - start - n >= min_rest:
                    cut = start + n
                    break
        if cut is None:
            return start
        start = cut
    return start


def all_stops(piece: str, stops: frozenset[str]) -> bool:
    """True when ``piece`` splits into stop words only (深入开展 = 深入 + 开展)."""
    ok = [True] + [False] * len(piece)
    for i in range(1, len(piece) + 1):
        ok[i] = any(ok[i - n] and piece[i - n : i] in stops for n in (1, 2, 3, 4) if i - n >= 0)
    return ok[-1]


def body_tokens(body: str, segment) -> list[str]:
    """Segment a name body with ``segment`` (a callable returning words)."""
    return [w for w in segment(body) if w.strip()]


def is_generic(body: str, generic: frozenset[str], segment) -> bool:
    """True when ``body`` is empty or made only of generic words.

    Args:
        body: The name without its type word.
        generic: Generic words (see ``program_generic.txt``).
        segment: Callable that splits text into words (jieba.lcut).

    Returns:
        Whether the body names nothing in particular.
    """
    body = strip_quotes(body).strip()
    if len(body) < 2:
        return True
    if body in generic:
        return True
    words = body_tokens(body, segment)
    rest = [w for w in words if w not in generic and (has_han(w) or re.search(r"[A-Za-z]{2,}", w))]
    if not rest:
        return True
    # stray single characters between generic words (扶|老|助残): no name of their own
    return (len(rest) <= 2 and all(len(w) == 1 and has_han(w) for w in rest)
            and any(len(w) >= 2 and w in generic for w in words))


def group_prefix(name: str, prefixes: Sequence[str]) -> str | None:
    """The group name that ``name`` starts with (中国移动, 联通), if any."""
    for p in sorted(prefixes, key=len, reverse=True):
        if name.startswith(p) and len(name) > len(p):
            return p
    return None


@dataclass(frozen=True)
class Candidate:
    """A name read leftwards from a type word.

    Attributes:
        start: Start of the name in the text.
        end: End of the name (after the type word).
        suffix: The type word.
        level: 0 for a plain type word, 1 weak (needs a longer or quoted
            name), 2 strict (needs a quoted name, a whole line or a count).
    """

    start: int
    end: int
    suffix: str
    level: int

    @property
    def weak(self) -> bool:
        """Whether the type word needs more evidence than a plain one."""
        return self.level > 0


def suffix_candidates(
    text: str,
    tokens: Tokens,
    suffixes: Sequence[tuple[str, int]],
    stops: frozenset[str],
    right_block: frozenset[str],
    quotes: Sequence[Quote],
    blocked: Sequence[tuple[int, int]] = (),
    pos_tag: Callable[[str], str | None] | None = None,
) -> list[Candidate]:
    """Find names that end in a type word.

    A type word counts when it ends a token (or is followed by a non-Han
    character), is not the start of a longer type word at the same place
    (行动 in 行动计划), and is not followed by a word that makes the phrase
    something else (项目体系, 行动方案).

    Args:
        text: Prepared text.
        tokens: Its token boundaries.
        suffixes: ``(type word, level)`` pairs, longest first.
        stops: Left-boundary stop words.
        right_block: Words that, right after a type word, cancel it.
        quotes: Quotes of the text.
        blocked: Spans (book titles) where no name is read.
        pos_tag: Dictionary part-of-speech lookup (see :func:`extend_left`).

    Returns:
        Candidates in text order.
    """
    quotes_by_end = {q.end: q for q in quotes}
    token_ends = set(tokens.ends)
    long_blocks = tuple(b for b in right_block if len(b) > 1)
    found: dict[tuple[int, int], Candidate] = {}
    covering: dict[int, list[tuple[int, int]]] = {}  # offset -> claimed type words over it
    for word, level in suffixes:
        for m in re.finditer(re.escape(word), text):
            s, e = m.start(), m.end()
            if any(a <= s < b for a, b in blocked):
                continue
            # a longer type word already claimed this place (行动计划 over 行动/计划)
            if any(e <= b and (a, b) != (s, e) for a, b in covering.get(s, ())):
                continue
            nxt = text[e : e + 1]
            if word.isascii():
                if nxt.isascii() and nxt.isalpha():
                    continue
            elif e not in token_ends and has_han(nxt):
                # the segmenter glued a position word on (标杆|赛中)
                if nxt not in _GLUED_AFTER:
                    continue
            k = tokens.index_containing(e) if e < len(text) else None
            if k is not None and tokens.starts[k] == e and tokens.texts[k] in right_block:
                continue
            if text.startswith(long_blocks, e):
                continue
            # inside a quote, a name ends where the quote ends (“优质服务体验季”)
            if any(q.start < s and e < q.end - 1 for q in quotes):
                continue
            for k in range(s, e):
                covering.setdefault(k, []).append((s, e))
            line_start = text.rfind("\n", 0, s) + 1
            start = extend_left(text, tokens, s, stops, quotes_by_end, floor=line_start, pos_tag=pos_tag)
            if start == s and len(word) >= 4 and s - 1 > line_start and text[s - 1] in "及与":
                # 5G智能电源及管理系统: a compound type word right after 及 shares the name before it
                start = extend_left(
                    text, tokens, s - 1, stops, quotes_by_end, floor=line_start, pos_tag=pos_tag
                )
                start = s if start == s - 1 else start
            if start == s:
                continue
            found[(start, e)] = Candidate(start, e, word, level)
    return sorted(found.values(), key=lambda c: (c.start, c.end))


def jieba_pos() -> Callable[[str], str | None]:
    """Dictionary part-of-speech lookup from jieba's word list (no re-segmentation)."""
    from extractors.lexicon import jieba_tags

    return jieba_tags().get


def jieba_segmenter() -> Callable[[str], list[str]]:
    """jieba's word segmenter, ``jieba.lcut`` with its answers kept (see :func:`_jieba_words`)."""
    return _segment


def _segment(text: str) -> list[str]:
    """``jieba.lcut(text)``, from the cache of :func:`_jieba_words`."""
    return list(_jieba_words(text))


@lru_cache(maxsize=1 << 15)
def _jieba_words(text: str) -> tuple[str, ...]:
    """jieba's words of ``text``: the name components segment the same short bodies many times.

    jieba is imported on first use, not at import time.
    """
    import jieba

    return tuple(jieba.lcut(text))


#: prepositions that, inside an unquoted name, show a clause (智能手柄往杯, 政府对大数据平台)
INNER_PREPOSITIONS = frozenset(_CUES["inner_prepositions"])
#: what the segmenter glues onto a type word that still ends a name (标杆|赛中)
_GLUED_AFTER = "".join(_CUES["glued_after_type_word"])


def whole_line(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` fills its line (a heading, list item or table cell)."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    head = text[ls:start].strip(" -•●*#\t")
    tail = text[end:le].strip(" *:：\t")
    tab = text.find("\t", end, le)
    return not head and (
        not tail
        or tab == end
        or text[end : end + 3].strip(" *") in ("", ":", "：")
        or text[end:le].lstrip(" *").startswith((":", "："))
    )


# ---------------------------------------------------------------- plausibility
#: longest canonical name; a longer "name" is a clause or a table row read as one
MAX_NAME_CHARS = 25
#: longest name that is neither quoted nor starts with a quote
MAX_UNQUOTED_CHARS = 22
#: clause marks but the ASCII comma, which also separates thousands (6,216)
_SENTENCE_MARKS = re.compile(char_class(CLAUSE_MARKS.replace(",", "")))
#: numbers with punctuation (0.0524, 5/17, 61%) outside a Latin product word (Net3.0, APP12.0)
_TABLE_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:[.,/%]\d+)+|\d%|[（(]元")
#: words of financial statements and report furniture, never inside an initiative's name
_REPORT_WORDS = re.compile(alternation(_CUES["report_words"]))
#: "+" between two Chinese words joins a list (终端+平台, 农资+服务), not a name
_HAN_PLUS = re.compile(rf"[{HAN}]\+[{HAN}]")
#: a date inside a name (2022上半年, 5月, 3月-4月间): a table heading or a clause
_DATE = re.compile(r"(?<![A-Za-z0-9])\d{1,4}\s*(?:月|年(?!度))|上半年|下半年")
#: a figure of a table before a name (593全国社保基金), not a year (2020创客马拉松大赛)
_TABLE_LEAD = re.compile(rf"(?!(?:19|20)\d{{2}}[^\d])\d{{2,}}[{HAN}]")
#: a service number before a name: 10086热线, 10010网上营业厅
_SERVICE_NUMBER = re.compile(rf"\d{{3,6}}\s*(?:{alternation(_CUES['service_number_words'])})")
#: what opens a list item or a case study, not a name: 一是, 3., 案例6：
_ENUMERATOR = re.compile(
    r"[一二三四五六七八九十]是|[0-9]{1,2}[.．、](?![0-9])|案例[0-9一二三四五六七八九十]*[:：]?"
)
#: part-of-speech tags of words that never start a name: adverbs (time words are listed:
#: jieba tags 青年 as one)
EDGE_TAGS = frozenset({"d"})
#: acronyms that name a technology, not a product (AI办公助手)
_BARE_ACRONYMS = frozenset(_CUES["bare_acronyms"])
#: jieba tags of proper names: places, people, organisations, other proper nouns
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})


def junk_reason(name: str, quoted: bool, allow: str = "") -> str | None:
    """Why ``name`` cannot be the name of an initiative or product, if it cannot.

    These are shape rules shared by the program and platform components: a
    name is short, holds no sentence punctuation (unless quoted), no table
    figures, no words of a financial statement and no list joined by ``+``.

    Args:
        name: Canonical name (quotes removed).
        quoted: Whether the text quotes the name (or starts it with a quote).
        allow: Punctuation allowed inside a quoted name (``，`` in
            “绿色上海，和你一起”).

    Returns:
        A short reason, or ``None`` when the name is plausible.
    """
    if len(name) > MAX_NAME_CHARS or not quoted and len(name) > MAX_UNQUOTED_CHARS:
        return "too long"
    marks = _SENTENCE_MARKS.findall(name)
    if marks and not (quoted and all(m in allow for m in marks)):
        return "sentence punctuation"
    if "《" in name or "》" in name:
        return "document title"
    if _TABLE_NUMBER.search(name):
        return "table figures"
    if _REPORT_WORDS.search(name):
        return "report words"
    if not quoted and _HAN_PLUS.search(name):
        return "list joined by +"
    if not quoted and _DATE.search(strip_ordinal(name)) or name[:1] in "(（":
        return "date or table heading"
    if not quoted and _TABLE_LEAD.match(name) and not _SERVICE_NUMBER.match(name):
        return "table figures"
    return None


def trim_edge(
    text: str,
    start: int,
    end: int,
    pos_tag: Callable[[str], str | None],
    segment: Callable[[str], list[str]],
    edge_words: frozenset[str] = frozenset(),
    min_rest: int = 3,
) -> int:
    """Move a name's start past words that introduce a clause, not a name.

    Drops enumerators (一是, 3., 案例6：), adverbs and time words at the left
    edge (亲自, 不断), words of ``edge_words`` (充分发挥, 当前, 上半年) and the
    stray 年 a dropped year leaves (年中国公有云 -> 中国公有云). A name that
    starts with a quote is left alone.

    Args:
        text: Prepared text.
        start: Start of the name.
        end: End of the name (after its type word).
        pos_tag: Dictionary part-of-speech lookup.
        segment: Callable that splits text into words.
        edge_words: Extra words that never start a name.
        min_rest: Characters that must remain.

    Returns:
        The new start offset.
    """
    case = text.rfind("案例", start, end - min_rest - 2)
    if case >= start and text[start] not in OPEN_QUOTES:
        start = case + 2  # 方法案例智慧养老云: a case-study heading glued to the name
    while start < end and text[start] not in OPEN_QUOTES:
        m = _ENUMERATOR.match(text, start, end)
        if m and end - m.end() >= min_rest:
            start = m.end()
            continue
        nxt = text[start + 1 : start + 2]
        if text[start] == "年" and end - start - 1 >= min_rest and has_han(nxt) and nxt not in "度内底初末中":
            start += 1
            continue
        long_edge = next((w for w in edge_words if len(w) >= 3 and text.startswith(w, start)), None)
        if long_edge and end - start - len(long_edge) >= min_rest:
            start += len(long_edge)
            continue
        words = segment(text[start:end])
        first = words[0] if words else ""
        if (
            (len(first) >= 2 or first in edge_words)
            and end - start - len(first) >= min_rest
            and (first in edge_words or pos_tag(first) in EDGE_TAGS)
        ):
            start += len(first)
            continue
        break
    return start


def has_proper_part(
    body: str,
    pos_tag: Callable[[str], str | None],
    segment: Callable[[str], list[str]],
    generic: frozenset[str] = frozenset(),
) -> bool:
    """True when a name body holds something that names, not describes.

    A proper part is a Latin or alphanumeric word other than a bare
    technology acronym (OneCity, 4G/5G, DPSP; not AI), a place, person or
    organisation name by the dictionary that is not a generic word (北京市,
    中宣部; not 城市, 智慧), a word the dictionary does not know (渝益农,
    资治) or two single characters in a row that make no dictionary word
    (数享). Bodies made only of dictionary words (心理咨询, 应急指挥, 数字经济)
    describe a kind of platform and name none.

    Args:
        body: The name without its type word.
        pos_tag: Dictionary part-of-speech lookup.
        segment: Callable that splits text into words.
        generic: Generic words, which never name.

    Returns:
        Whether the body names something in particular.
    """
    latin = re.findall(r"[A-Za-z0-9][A-Za-z0-9/.\-]*", body)
    if any(
        re.search(r"[A-Za-z]{2,}|[0-9][A-Za-z]|[A-Za-z][0-9]", w) and w.upper() not in _BARE_ACRONYMS
        for w in latin
    ):
        return True
    singles = 0
    for w in segment(strip_quotes(body)):
        if not has_han(w) or w in generic:
            singles = 0
            continue
        tag = pos_tag(w)
        if len(w) >= 2 and tag in PROPER_TAGS:
            return True
        guessed = len(w) >= 3 or len(w) == 2 and len(body) <= 3
        if guessed and tag is None and not _dictionary_words(w, pos_tag):
            return True  # 渝益农, 大音; a two-character guess in a longer body (研投协同) is an abbreviation
        singles = singles + 1 if len(w) == 1 and tag not in ("p", "c", "u", "uj", "m", "q", "f") else 0
        if singles >= 2:
            return True
    return False


def _dictionary_words(word: str, pos_tag: Callable[[str], str | None]) -> bool:
    """True when a word the segmenter guessed splits into common dictionary words (心理咨询)."""
    import jieba

    parts = jieba.lcut(word, HMM=False)
    return len(parts) > 1 and all(len(p) >= 2 and pos_tag(p) not in (None, *PROPER_TAGS) for p in parts)


class NameFinder:
    """Shared frame of the name components: find (:meth:`match`), then write.

    Subclasses set :attr:`label` and the lexicons ``suffixes``, ``stops``,
    ``right_block`` and ``pos_tag``, and implement :meth:`from_candidate`
    (judge one type-word name) and :meth:`more_names` (their other rules).
    """

    label = ""

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Mention]:
        """Find mentions; pure (``doc`` is not changed).

        Args:
            doc: A tokenised ``Doc`` of prepared text.

        Returns:
            Mentions with this component's label.
        """
        return self.match_text(doc_text(doc), Tokens.of_doc(doc))

    def match_text(self, text: str, tokens: Tokens) -> list[Mention]:
        """Find mentions in ``text`` segmented as ``tokens``.

        Names ending in a type word come first; the component's other rules
        add what they find where no name was found yet.
        """
        quotes = find_quotes(text)
        titles = book_title_spans(text)
        out: dict[tuple[int, int], Mention] = {}
        for cand in suffix_candidates(
            text, tokens, self.suffixes, self.stops, self.right_block, quotes, titles, self.pos_tag
        ):
            self.from_candidate(text, tokens, cand, quotes, out)
        self.more_names(text, tokens, quotes, titles, out)
        return sorted(out.values(), key=lambda m: (m.start, m.end))

    def from_candidate(
        self, text: str, tokens: Tokens, cand: Candidate, quotes: list[Quote], out: dict
    ) -> None:
        """Judge one name read from a type word; add it to ``out`` if it names something."""
        raise NotImplementedError

    def more_names(
        self, text: str, tokens: Tokens, quotes: list[Quote], titles: list[tuple[int, int]], out: dict
    ) -> None:
        """The component's other rules (quotes, brands …); add to ``out`` in place."""

    def set_annotations(self, doc: Doc, found: list[Mention]) -> None:
        """Append ``found`` to ``doc._.kg_mentions``.

        Args:
            doc: The annotated ``Doc``.
            found: Mentions returned by :meth:`match`.
        """
        from extractors import mentions

        mentions(doc).extend(found)


def base_name(surface: str, gloss_aliases: bool = False) -> tuple[str, list[str]]:
    """Canonical name of a surface form and the aliases its shape gives.

    Quotes are dropped (the quoted surface is an alias), then a leading year
    or ordinal (2023年, 第五届), then short parenthesised glosses.

    Args:
        surface: The name as the text writes it.
        gloss_aliases: Also keep Latin glosses as aliases (DPSP).

    Returns:
        The name and its aliases so far.
    """
    name = canonical_form(surface).lstrip("·-")
    aliases: list[str] = []
    if any(c in surface for c in OPEN_QUOTES + CLOSE_QUOTES):
        aliases.append(surface.strip())
    bare = strip_ordinal(name)
    if bare != name:
        aliases.append(name)
        name = bare
    unglossed, glosses = strip_parenthetical(name)
    if glosses:
        aliases.append(name)
        if gloss_aliases:
            aliases.extend(g for g in glosses if re.fullmatch(r"[A-Za-z0-9-]{2,}", g))
        name = unglossed
    return name, aliases


def names_a_thing(name: str) -> bool:
    """True when ``name`` has a Chinese character or a Latin word of three letters."""
    return len(name) >= 2 and (has_han(name) or bool(re.search(r"[A-Za-z]{3,}", name)))
