"""Text preparation: normalise, convert script, join PDF lines, split into segments.

:func:`prepare` turns a :class:`~kg.model.Document` into
:class:`~kg.model.Segment` records whose text is what the extractors read:
compatibility characters folded, Traditional converted to Simplified, lines
that a PDF broke mid-sentence joined, markup (``###``, ``**``) removed and
whitespace tidied. Every step only replaces or deletes characters, never
invents them, so each prepared character keeps the index of the original
character it came from (``Segment.offsets``) and every graph fact can point
back at the exact source span.

Normalisation is NFKC applied per character with Chinese punctuation kept:
NFKC would turn ``，：；（）！？`` into their ASCII forms, which changes how
sentences and clauses are split and how the text reads in the graph's
provenance. Full-width letters and digits (``２０２０``, ``ＩＣＴ``), odd spaces
(U+3000, NBSP) and other compatibility forms (``㎡``, ``①``, ligatures) are
folded as NFKC does. Per character means combining sequences are not
composed; in exchange each output character maps to exactly one source
character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kg import textunits
from kg.model import Document, Segment
from kg.news import Article, looks_like_collection, split_articles
from kg.script import to_simplified, traditional_chars

# Chinese punctuation kept as is although NFKC would fold it to ASCII.
KEEP_PUNCT = frozenset("，。、；：？！（）“”‘’「」『』【】《》〈〉…—～·﹏")
# Characters that end a sentence, and closers that stay with it.
SENT_FINAL = frozenset(textunits.SENTENCE_END)
CLOSERS = frozenset(textunits.CLOSERS)
# A line ending with one of these continues on the next line.
CONTINUES = frozenset("，,、：:“‘「『（(《〈【—-/+&")
_MARKUP_RE = re.compile(r"#{2,}|\*\*")
_SPACE_RE = re.compile(r"[ \t]+")
# CJK blocks (radicals, symbols and punctuation, kana, Han, full-width forms): text that needs no
# spaces between its characters; wider than textunits.HAN, which is Han characters only
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_BULLET_RE = re.compile(
    r"^(?:[-–•●■◆◇□▪▶►※✓√·*>]"
    r"|\d{1,2}[.．、)）](?![\d])"
    r"|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|第[一二三四五六七八九十百\d]+[章节部分篇条]"
    r"|[①-⑳⑴-⒇])"
)
_DIGITS_RE = re.compile(r"[0-9]")
_HEADING_MAX = 30
# Lines at most this wide without clause punctuation read as headings when paired.
_HEADING_WIDTH = 16
_CLAUSE_PUNCT = frozenset(textunits.CLAUSE_MARKS)
# Two figures side by side: the cells of a table row.
_FIGURES_RE = re.compile(r"\d[\d,.]*%?\s+[-+]?\d")
# Line endings that need the next line: 的, conjunctions, 超过 before a figure.
_DANGLING = ("的", "超", "超过", "达到", "以及", "包括", "率达", "高达", "多达", "共计", "分别为", "分别达")
# Units and words that follow a figure: a line starting with one continues a figure.
_UNIT_START = frozenset("年月日万亿千百个名人家元次项座台件户条分秒")
# The tail of a table label: 数量（万个）, 者数 (个 ).
_UNIT_TAIL_RE = re.compile(rf"^[^，。；、\d]{{0,10}}[（(]\s*[%/{textunits.HAN}]{{1,6}}\s*[)）]$")
_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("「", "」"))
_CONJUNCTIONS = "与和及"
# Longest line that is read as a caption or heading when a shorter line follows.
_CAPTION_WIDTH = 30
# A line at least this share of the next line's width is a full column line.
_JOIN_WIDTH_RATIO = 0.7


@dataclass
class _Aligned:
    """Text with the original index of each character."""

    text: str
    offs: list[int]

    def delete(self, spans: Iterable[tuple[int, int]]) -> _Aligned:
        """Remove ``[start, end)`` spans (sorted, non-overlapping)."""
        pieces, offs, pos = [], [], 0
        for s, e in spans:
            if e <= s:
                continue
            pieces.append(self.text[pos:s])
            offs.extend(self.offs[pos:s])
            pos = e
        if pos == 0:
            return self
        pieces.append(self.text[pos:])
        offs.extend(self.offs[pos:])
        return _Aligned("".join(pieces), offs)


def prepare(doc: Document, *, max_chars: int = 4000) -> list[Segment]:
    """Prepare a document for extraction.

    Args:
        doc: The document as read.
        max_chars: Largest segment size; segments end at paragraph or sentence
            boundaries and only a sentence longer than this is cut.

    Returns:
        Segments in document order. News collections (``kind == "news"`` or
        very long lines) are first split into articles; each segment then
        carries its article's title and date. Report segments carry the
        nearest heading before them.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = doc.text
    if doc.kind == "news" or looks_like_collection(text):
        articles = split_articles(text)
    else:
        articles = [Article(0, len(text), doc.title if doc.kind == "news" else None, None)]
    segments: list[Segment] = []
    for art in articles:
        aligned = normalize(text[art.start : art.end], base=art.start)
        year = art.year if art.year is not None else doc.year
        is_article = len(articles) > 1 or doc.kind == "news"
        title = clean_title(art.title) if is_article else None
        segments.extend(_segment(aligned, max_chars, title, art.date, year, use_headings=not is_article))
    return segments


def normalize(text: str, *, base: int = 0) -> _Aligned:
    """Run every character-level step on ``text``.

    Args:
        text: Original text (or a slice of it).
        base: Index of ``text[0]`` in the original document.

    Returns:
        Prepared text with, for each character, its index in the original.
    """
    aligned = _Aligned(text, list(range(base, base + len(text))))
    aligned = _fold(aligned)
    aligned = aligned.delete(m.span() for m in _MARKUP_RE.finditer(aligned.text))
    aligned = join_lines(aligned)
    aligned = _tidy_spaces(aligned)
    aligned = _to_simplified(aligned)
    return aligned


# ---------------------------------------------------------------- folding


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in KEEP_PUNCT:
        return ch
    if ch in "\t\u00a0\u3000\u2002\u2003\u2009\u200a\u202f\u205f":
        return " "
    if ch in "\r\u2028\u2029\x0b\x0c\x85":
        return "\n"
    if ch in "\u200b\u200c\u200d\u2060\ufeff\xad":
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    # NFKC turns a few characters into text containing a line break or
    # nothing at all; keep those as they are.
    if not folded or "\n" in folded:
        return ch
    return folded


def _fold(aligned: _Aligned) -> _Aligned:
    text = aligned.text
    table = {}
    for ch in set(text):
        if ch.isascii() and ch not in "\t\r\x0b\x0c":
            continue
        folded = _fold_char(ch)
        if folded != ch:
            table[ch] = folded
    if not table:
        return aligned
    if all(len(v) == 1 for v in table.values()):
        return _Aligned(text.translate({ord(k): v for k, v in table.items()}), aligned.offs)
    # Some characters expand (㎡ -> m2) or vanish: rebuild the offsets.
    pieces, offs = [], []
    for ch, off in zip(text, aligned.offs, strict=True):
        rep = table.get(ch, ch)
        pieces.append(rep)
        offs.extend([off] * len(rep))
    return _Aligned("".join(pieces), offs)


# ---------------------------------------------------------------- lines


def _width(line: str) -> float:
    """Visual width: Chinese characters are twice as wide as ASCII."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in line)


def is_bullet(line: str) -> bool:
    """True when ``line`` starts a list item (``-``, ``•``, ``1.``, ``（一）``, emoji...)."""
    line = line.lstrip()
    if not line:
        return False
    if _BULLET_RE.match(line):
        return True
    return unicodedata.category(line[0]) == "So"


def is_table_row(line: str) -> bool:
    """True when ``line`` is mostly figures (a row of a table)."""
    digits = len(_DIGITS_RE.findall(line))
    if digits == 0:
        return False
    cjk = len(_CJK_CHAR_RE.findall(line))
    return digits >= cjk


def _figures_continue(prev: str, nxt: str) -> bool:
    """A sentence broken around its figures rather than a table row.

    ``…时间跨度为 2020`` / ``年 1月 1日至 2020 年 12 月 31 日。`` and
    ``…累计投入超过`` / ``120 亿元`` are one sentence; lines with figures
    side by side (``223.3 244.7 264.0``) are cells of a table.
    """
    if _FIGURES_RE.search(prev) or _FIGURES_RE.search(nxt):
        return False
    if is_table_row(prev):
        # Text whose figures crowd out its words: …5,400 多万 / 元，惠及…
        return (
            not is_table_row(nxt)
            and len(_CJK_CHAR_RE.findall(prev)) >= 3
            and (prev[-1].isdigit() or prev[-1] in _UNIT_START)
            and nxt[0] in _UNIT_START
            and any(ch in _CLAUSE_PUNCT for ch in nxt)
        )
    if prev.endswith(_DANGLING) or ends_sentence(nxt):
        return True
    # A figure at the end of the line, its unit at the start of the next.
    return prev[-1].isdigit() and nxt[0] in _UNIT_START


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends with sentence-final punctuation (closers allowed)."""
    stripped = line.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENT_FINAL


def _heading_like(line: str) -> bool:
    """A short line without clause punctuation: a heading, a caption or a name."""
    return _width(line) <= _HEADING_WIDTH and not any(ch in _CLAUSE_PUNCT for ch in line)


def _unclosed(line: str) -> bool:
    """True when ``line`` opens a quote or title mark it does not close."""
    return any(line.count(a) > line.count(b) for a, b in _PAIRS)


def should_join(prev: str, nxt: str, after: str | None = None) -> bool:
    """Decide whether a PDF line break between ``prev`` and ``nxt`` is mid-sentence.

    A line that does not end a sentence continues on the next one when it
    ends with a comma-like mark or a word that needs what follows (``的``,
    ``超过``), or when it is a full line of the column: about as wide as the
    next line, which is itself either as wide or the last line of the
    paragraph. What is left apart:

    - a short line followed by a wider one (a heading or caption before text);
    - a line followed by a clearly shorter one that does not end a sentence
      (a heading or caption after a caption: ``…培训项目`` / ``中青年干部进修班``);
    - two short lines without clause punctuation (two headings:
      ``贡献数智新力量`` / ``共创美好新未来``), except one-character lines of
      vertical text (``党`` / ``建`` / ``引`` / ``领``);
    - list items and table rows.

    Args:
        prev: The line before the break (stripped).
        nxt: The line after it (stripped).
        after: The line after ``nxt`` when no paragraph break separates
            them: two short lines followed by prose of their width are a
            narrow column, not two headings.

    Returns:
        True to join the two lines.
    """
    if not prev or not nxt:
        return False
    if ends_sentence(prev) or is_bullet(nxt):
        return False
    if is_table_row(prev) or is_table_row(nxt):
        return _figures_continue(prev, nxt)
    if prev[-1] in CONTINUES or prev.endswith(_DANGLING) or _unclosed(prev):
        return True
    if prev[-1].isdigit() and nxt[0] in _UNIT_START:
        return True  # 累计观看量近 180 / 万人次
    if _UNIT_TAIL_RE.match(nxt):
        return True  # a label broken before its unit: 有线宽带服务覆盖行政村 / 数量（万个）
    if len(prev) == 1 and len(nxt) == 1:
        return True  # vertical text, one character per line
    w_prev, w_next = _width(prev), _width(nxt)
    if w_prev < _JOIN_WIDTH_RATIO * w_next:
        return False
    caption_then_shorter = (
        w_prev <= _CAPTION_WIDTH
        and w_next < _JOIN_WIDTH_RATIO * w_prev
        and not ends_sentence(nxt)
        and nxt[-1] not in CONTINUES
    )
    two_headings = _heading_like(prev) and _heading_like(nxt) and not _column_prose(nxt, after)
    if caption_then_shorter or two_headings:
        # Two headings, unless the break falls inside a word or a phrase
        # (可持续发展能 / 力不断增强, 制度与 / 措施).
        return _breaks_phrase(prev, nxt)
    return True


def _column_prose(line: str, after: str | None) -> bool:
    """True when ``after`` continues ``line`` as prose of the same column width."""
    if not after or not any(ch in _CLAUSE_PUNCT for ch in after):
        return False
    return _JOIN_WIDTH_RATIO * _width(line) <= _width(after) <= _width(line) / _JOIN_WIDTH_RATIO


def _breaks_phrase(prev: str, nxt: str) -> bool:
    """True when a line break splits a word or leaves a conjunction hanging."""
    if prev[-1] in _CONJUNCTIONS or nxt[0] in _CONJUNCTIONS + "等的":
        return True
    left, right = prev[-4:], nxt[:4]
    window = left + right
    if traditional_chars().search(window):
        simplified = to_simplified(window)
        if len(simplified) == len(window):
            window = simplified
    pos = 0
    for token in _jieba().lcut(window, HMM=False):
        if pos < len(left) < pos + len(token):
            return True
        pos += len(token)
    return False


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba  # deferred: the dictionary loads on first use

    jieba.setLogLevel(60)
    return jieba


_LINE_RE = re.compile(r"[^\n]*")


def join_lines(aligned: _Aligned) -> _Aligned:
    """Join lines a PDF broke mid-sentence; collapse the rest to one ``\\n``.

    A break with more than one blank line is a paragraph boundary; otherwise
    :func:`should_join` decides. Joined lines lose the break (a space is kept
    between two Latin letters or digits); kept breaks become one ``\\n``.

    Args:
        aligned: Text and offsets.

    Returns:
        The joined text and offsets.
    """
    text = aligned.text
    if "\n" not in text:
        return aligned
    # Non-blank lines as (start, end) of their stripped content.
    lines: list[tuple[int, int]] = []
    for m in _LINE_RE.finditer(text):
        s, e = m.span()
        if s == e and lines and lines[-1][1] == s:
            continue
        seg = text[s:e]
        st = seg.strip(" ")
        if not st:
            continue
        ls = s + (len(seg) - len(seg.lstrip(" ")))
        lines.append((ls, ls + len(st)))
    deletions: list[tuple[int, int]] = []
    spaces: list[int] = []
    if lines and lines[0][0] > 0:
        deletions.append((0, lines[0][0]))
    for i, ((ps, pe), (ns, ne)) in enumerate(zip(lines, lines[1:], strict=False)):
        gap = text[pe:ns]
        blank_lines = gap.count("\n") - 1
        prev, nxt = text[ps:pe], text[ns:ne]
        after = None
        if i + 2 < len(lines):
            a_s, a_e = lines[i + 2]
            if text[ne:a_s].count("\n") <= 2:
                after = text[a_s:a_e]
        if blank_lines <= 1 and should_join(prev, nxt, after):
            if prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum():
                # Keep one whitespace character between Latin words.
                nl = pe + gap.index("\n")
                spaces.append(nl)
                deletions.append((pe, nl))
                deletions.append((nl + 1, ns))
            else:
                deletions.append((pe, ns))
        else:
            nl = pe + gap.index("\n")
            deletions.append((pe, nl))
            deletions.append((nl + 1, ns))
    if lines and lines[-1][1] < len(text):
        deletions.append((lines[-1][1], len(text)))
    if not lines:
        deletions = [(0, len(text))]
    if spaces:
        # The line break kept between two joined Latin words stands for a space.
        pieces, pos = [], 0
        for nl in spaces:
            pieces.append(text[pos:nl])
            pieces.append(" ")
            pos = nl + 1
        pieces.append(text[pos:])
        aligned = _Aligned("".join(pieces), aligned.offs)
    return aligned.delete(deletions)


def _tidy_spaces(aligned: _Aligned) -> _Aligned:
    """Drop spaces next to Chinese text; collapse other runs to one space."""
    text = aligned.text
    deletions = []
    for m in _SPACE_RE.finditer(text):
        s, e = m.span()
        before = text[s - 1] if s > 0 else "\n"
        after = text[e] if e < len(text) else "\n"
        if before == "\n" or after == "\n" or not before.isascii() or not after.isascii():
            deletions.append((s, e))
        elif e - s > 1:
            deletions.append((s + 1, e))
    out = aligned.delete(deletions)
    if "\t" in out.text:
        out = _Aligned(out.text.replace("\t", " "), out.offs)
    return out


# ---------------------------------------------------------------- script


def _to_simplified(aligned: _Aligned) -> _Aligned:
    """Convert Traditional to Simplified paragraph by paragraph.

    Phrase conversion keeps the length almost always; when it does not, the
    paragraph is converted character by character so offsets stay exact.
    """
    text = aligned.text
    trigger = traditional_chars()  # only paragraphs with a Traditional character need converting
    if not trigger.search(text):
        return aligned
    out = []
    for para in text.split("\n"):
        if not trigger.search(para):
            out.append(para)
            continue
        conv = to_simplified(para)
        if len(conv) != len(para):
            conv = "".join(c2 if len(c2 := to_simplified(ch)) == 1 else ch for ch in para)
        out.append(conv)
    return _Aligned("\n".join(out), aligned.offs)


# ---------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split prepared text into sentences.

    Sentences end after 。！？；!? (with any closing quotes or brackets that
    follow) and at line breaks, so headings and list items are sentences of
    their own. The spans cover ``text`` without gaps or overlap; a line
    break belongs to the sentence it ends.

    Args:
        text: Prepared text.

    Returns:
        ``(start, end)`` spans.
    """
    spans = []
    start = 0
    n = len(text)
    for m in _SENT_END_RE.finditer(text):
        end = m.end()
        if end < n and text[end] == "\n":
            end += 1
        if end > start:
            spans.append((start, end))
            start = end
    if start < n:
        spans.append((start, n))
    return spans


_SENT_END_RE = re.compile(
    f"{textunits.char_class(textunits.SENTENCE_END)}+{textunits.char_class(textunits.CLOSERS)}*|\n"
)


# ---------------------------------------------------------------- segments


def is_heading(line: str) -> bool:
    """True when a prepared line reads as a heading (short, no sentence punctuation)."""
    line = line.strip()
    if not line or len(line) > _HEADING_MAX:
        return False
    if any(ch in SENT_FINAL or ch in "，," for ch in line):
        return False
    if is_table_row(line):
        return False
    return bool(_CJK_CHAR_RE.search(line))


def _sentence_units(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Units that may not be split: sentences, hard-cut when longer than ``max_chars``."""
    units: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        while e - s > max_chars:
            units.append((s, s + max_chars))
            s += max_chars
        units.append((s, e))
    return units


def _headings(text: str) -> list[tuple[int, str]]:
    """The heading lines of ``text`` with their offsets, in order."""
    headings: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if is_heading(line):
            headings.append((pos, line.strip()))
        pos += len(line) + 1
    return headings


def _pack(units: list[tuple[int, int]], text: str, max_chars: int) -> list[list[tuple[int, int]]]:
    """Group consecutive units into chunks of at most ``max_chars``, cut at a paragraph end when one fits."""
    chunks: list[list[tuple[int, int]]] = []
    chunk: list[tuple[int, int]] = []

    def flush() -> None:
        if chunk:
            chunks.append(list(chunk))
            chunk.clear()

    size = 0
    last_para_break = 0  # index in chunk after which a paragraph ended
    for u in units:
        ulen = u[1] - u[0]
        if chunk and size + ulen > max_chars:
            if 0 < last_para_break < len(chunk):
                rest = chunk[last_para_break:]
                del chunk[last_para_break:]
                flush()
                chunk.extend(rest)
                size = sum(e - s for s, e in chunk)
                if size + ulen > max_chars:
                    # What followed the paragraph break still leaves no room.
                    flush()
                    size = 0
            else:
                flush()
                size = 0
            last_para_break = 0
        chunk.append(u)
        size += ulen
        if text[u[1] - 1] == "\n":
            last_para_break = len(chunk)
    flush()
    return chunks


def _segment(
    aligned: _Aligned,
    max_chars: int,
    title: str | None,
    date: str | None,
    year: int | None,
    *,
    use_headings: bool,
) -> list[Segment]:
    text, offs = aligned.text, aligned.offs
    if not text.strip():
        return []
    headings = _headings(text) if use_headings else []  # in order, for the title of report segments
    segments: list[Segment] = []
    for chunk in _pack(_sentence_units(text, max_chars), text, max_chars):
        s0, e0 = chunk[0][0], chunk[-1][1]
        piece = text[s0:e0]
        # Leading/trailing line breaks carry nothing; drop them from the segment.
        lead = len(piece) - len(piece.lstrip("\n"))
        trail = len(piece) - len(piece.rstrip("\n"))
        s1, e1 = s0 + lead, e0 - trail
        if e1 <= s1:
            continue
        sents = tuple((max(s, s1) - s1, min(e, e1) - s1) for s, e in chunk if min(e, e1) > max(s, s1))
        seg_offs = tuple(offs[s1:e1]) + (offs[e1 - 1] + 1,)
        seg_title = _nearest_heading(headings, s1, e1) if use_headings else title
        segments.append(Segment(text[s1:e1], seg_offs, sents, seg_title, date, year))
    return segments


def _nearest_heading(headings: list[tuple[int, str]], start: int, end: int) -> str | None:
    best = None
    for pos, title in headings:
        if pos <= start:
            best = title
        elif best is None and pos < end:
            return title
        else:
            break
    return best


def clean_title(title: str | None) -> str | None:
    """Prepare a title the way segment text is prepared (fold, Simplified, no markup).

    Args:
        title: A title from the original text, or None.

    Returns:
        The prepared title, or None when nothing is left.
    """
    if title is None:
        return None
    cleaned = normalize(title).text.replace("\n", " ").strip()
    return cleaned or None
