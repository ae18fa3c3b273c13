"""Where a suffix name starts: walking left over jieba tokens from its suffix.

The walk stops at verbs, prepositions, particles, punctuation and numbers;
a full name (国资委) takes only names before it; 和 inside a ministry name
(工业和信息化部) is kept. :func:`tidy_start` then moves the start off bullets
and brackets and onto a group word inside the name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.organizations.context import OrgText
from extractors.organizations.dictionary import nt_names
from extractors.organizations.lexicon import NAME_CHAR, is_han, jieba_words, org_lexicon
from extractors.organizations.national import national_bodies
from extractors.organizations.units import group_prefixes, prefix_pattern
from kg.textunits import HAN

_LEADING_JUNK = re.compile(rf"^[^{HAN}A-Za-z0-9（(]+")


def left_edge(ctx: OrgText, i: int, lex: dict) -> int | None:
    """Start of the name ending with token ``i``: walk left over name tokens.

    Args:
        ctx: The passage as the organisation rules read it.
        i: Index of the token that ends in an organisation suffix.
        lex: :func:`~extractors.organizations.lexicon.org_lexicon`.

    Returns:
        The start offset, or ``None`` when the suffix stands alone.
    """
    doc = ctx.doc
    start = doc[i].idx
    first = i
    whole = _whole_name(doc[i].text)
    j = i - 1
    while j >= 0 and i - j <= 6:
        t = doc[j]
        if t.text == "和" and _joins_government(doc, j, i, lex):
            start, first, j = doc[j - 1].idx, j - 1, j - 2
            continue
        if t.text in lex["stop"] or not all(NAME_CHAR.match(c) for c in t.text) or t.text.isdigit():
            break
        if _verbal(t.text, lex):
            if _particle_then_name(t.text, lex) and t.idx + len(t.text) == start:
                start, first = t.idx + 1, j  # 为莘庄小学: the particle goes, the name stays
            break  # 积极开展绿色数据中心, 毕马威华振对公司: a verb phrase or a particle
        if whole and (not ctx.proper_word(t.text, lex) or t.text.endswith(lex["suffix_tuple"])):
            break  # 上水平国资委: a full name takes only names before it (北京市人大常委会)
        if t.text.endswith(("公司", "总部")) and j < i:
            break  # 新余分公司充分利用公司: a company name ends a name, it does not start one
        pos = jieba_words().get(t.text)
        if pos is not None and pos not in lex["name_pos"]:
            if pos in ("v", "vn") and _latin_before(doc, j):
                start, first = doc[j - 1].idx, j - 1  # 5G创新联合体: a Latin word names it
            break
        if t.idx + len(t.text) != start:  # whitespace between tokens ends a name
            break
        start = t.idx
        first = j
        j -= 1
    return _drop_leading_numbers(doc, i, first, start, lex)


def _drop_leading_numbers(doc: Doc, i: int, first: int, start: int, lex: dict) -> int | None:
    """A name cannot start with a number or a measure word (国家 and 中央 do start names)."""
    while (
        first < i
        and (doc[first].like_num or doc[first].text in lex["generic"])
        and not (doc[first].text in lex["national"] and (first + 1 < i or doc[i].text not in lex["suffixes"]))
    ):
        first += 1
        start = doc[first].idx
    if first == i and doc[i].text in lex["suffixes"]:
        return None
    return start


def _whole_name(word: str) -> bool:
    """Whether a token is an organisation's full name by itself (国资委, 美国商务部)."""
    return len(word) >= 3 and (word in nt_names() or word in national_bodies()[1])


def _particle_then_name(word: str, lex: dict) -> bool:
    """An unknown token that is a particle glued to a name (为莘庄, jieba's HMM)."""
    return (
        len(word) >= 3
        and jieba_words().get(word) is None
        and word[0] in lex["function_chars"]
        and word[-1] not in lex["function_chars"]
    )


def _verbal(word: str, lex: dict) -> bool:
    """Whether a token left of a suffix ends the name instead of belonging to it.

    jieba keeps verb phrases whole (积极开展/l, 积极响应/n, 紧紧围绕/l) and
    its HMM glues particles to a neighbour (华振对, 下向, 常在, 至县);
    enumerators (一是, 两大) count, they do not name.
    """
    if re.fullmatch(r"[一二三四五六七八九十两\d]+[是大]", word):
        return True
    pos = jieba_words().get(word)
    if pos is None:
        return (
            len(word) >= 2
            and is_han(word)
            and (word[0] in lex["function_chars"] or word[-1] in lex["function_chars"])
        )
    if len(word) < 4:
        return False
    first, second = jieba_words().get(word[:2]), jieba_words().get(word[2:])
    if pos in ("l", "i"):
        return bool({first, second} & {"v", "d", "ad", "p", "c"})
    return pos in ("n", "vn") and first in ("d", "ad") and second == "v"


def _latin_before(doc: Doc, j: int) -> bool:
    """Whether a Latin word (5G, AI) sits right before token ``j``."""
    if j < 1:
        return False
    t = doc[j - 1]
    return (
        t.idx + len(t.text) == doc[j].idx
        and re.fullmatch(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", t.text) is not None
    )


def _joins_government(doc: Doc, j: int, i: int, lex: dict) -> bool:
    """和 inside a ministry name (工业和信息化部, 国家发展和改革委员会)."""
    if j < 1 or doc[i].text[-1] not in lex["gov_chars"] and not doc[i].text.endswith(("委员会", "办公室")):
        return False
    left = doc[j - 1]
    if len(left.text) != 2 or jieba_words().get(left.text) not in ("n", "vn"):
        return False
    before = doc[j - 2] if j >= 2 else None
    return (
        before is None
        or not is_han(before.text)
        or before.text in lex["stop"]
        or before.text in lex["national"]
        or jieba_words().get(before.text) == "ns"
    )


def tidy_start(ctx: OrgText, start: int, end: int) -> int | None:
    """Move a name's start off bullets and brackets, and onto a group word inside it.

    ``-中国联通国际公司`` starts after the dash; ``(集团新闻宣传中心`` after the
    unmatched bracket; ``乡村振兴（重庆）数字产业研究院`` takes back the words
    before its bracketed place; ``内容体验案例中国移动咪咕公司`` starts at the
    group word.

    Args:
        ctx: The passage as the organisation rules read it.
        start: The start found by :func:`left_edge`.
        end: The end of the name.

    Returns:
        The new start, or ``None`` when nothing is left.
    """
    text = ctx.text
    junk = _LEADING_JUNK.match(text, start, end)
    if junk:
        start = junk.end()
    if start < end and text[start] in "（(":
        close = re.compile(r"[）)]").search(text, start, end)
        if close is None:
            start += 1
        else:
            start = _words_before(ctx.doc, start)
    inner = prefix_pattern().search(text, start + 1, end)
    if inner and inner.start() > start and not any(text.startswith(p, start) for p in group_prefixes()):
        start = inner.start()
    national = re.compile("中国|中华人民共和国").search(text, start + 1, end - 2)
    if (
        national
        and text[national.start() - 1] not in "（("
        and not _place_before(ctx, national.start(), start)
    ):
        start = national.start()  # 委员会中国信息通信研究院: the name starts at 中国
    return start if start < end else None


def _place_before(ctx: OrgText, at: int, start: int) -> bool:
    """Whether the words in ``[start, at)`` end in a place (浙江中国小商品城) or a proper name."""
    before = ctx.text[start:at]
    if before.endswith(ctx.place_names) or before.endswith(("中国", "国家")):
        return True
    span = ctx.doc.char_span(start, at, alignment_mode="expand")
    last = span[-1].text if span is not None and len(span) else ""
    return jieba_words().get(last) in ("ns", "nr", "nt", "nz", "j")


def _words_before(doc: Doc, start: int) -> int:
    """Start of up to two name words right before ``start`` (乡村振兴 before （重庆）)."""
    lex = org_lexicon()
    for _ in range(2):
        span = doc.char_span(start - 1, start, alignment_mode="expand") if start else None
        t = span[0] if span is not None and len(span) else None
        if t is not None and t.idx + len(t.text) != start:
            t = None
        if t is None or t.text in lex["stop"] or not is_han(t.text):
            break
        start = t.idx
    return start
