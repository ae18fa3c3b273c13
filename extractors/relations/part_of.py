"""``partOf`` between programs and platforms.

- a name that holds another program's name plus more than generic words
  (全球通蓝色梦想公益计划 -> 蓝色梦想, ``name_contains``; ``named_after`` when
  the name finder linked them); a sub-event named with a program's quoted
  core (“绽放杯”标杆赛, ``shared_quote``);
- items in a line led by a program (“赋能网格”系列培训项目：… / a table row,
  ``line_lead``); bullet leads under the program of the paragraph that
  introduces them (``bullet_under``); rows under a counted collective
  (七大数智化工程 -> 乡村教育数智化工程, ``collective``, ``collective_of``);
- items listed after 包括 / 如 / 通过…等 (``listed_under``); components built
  within a program (开展A行动，打造B平台, ``built_within``); A——B
  (``dash_apposition``).
"""

from __future__ import annotations

import re

from extractors.lexicon import alternation
from extractors.relations.cues import INITIATIVE_TYPES, relation, relation_cues
from extractors.relations.geometry import (
    CLOSE_QUOTES,
    LEAD_NOISE,
    OPEN_QUOTES,
    Line,
    clause_start,
    inside,
    preceded_by,
    starting_in,
    text_lines,
)
from extractors.relations.roles import received_award
from kg.model import Mention, RelationItem
from kg.textunits import HAN

#: a program name after a leading year or edition is still the same name
_YEARISH = re.compile(r"(?:19|20)\d{2}年?|第[一二三四五六七八九十百0-9]+[届期季]|[0-9]+")
#: a line lead followed by a colon within a few characters: “X”项目：…
_LEAD_COLON = re.compile(r"^[^，。；,;]{0,10}?[：:]")


def part_of_relations(
    text: str, sentences: list[tuple[int, int]], ms: list[Mention]
) -> list[RelationItem | None]:
    """Every ``partOf`` between the programs and platforms of a passage.

    Args:
        text: The passage.
        sentences: Its sentence spans.
        ms: Its mentions, sorted by start then longest first.
    """
    inis = [m for m in ms if m.label in INITIATIVE_TYPES]
    starts = [m.start for m in inis]
    # top-level names only (a name nested in another is that other's business)
    inis = [m for m in inis if not inside(m, starting_in(inis, starts, m.start - 80, m.start + 1))]
    out: list[RelationItem | None] = []
    out += _name_contains(text, inis)
    out += _shared_quote(text, inis)
    ms_starts = [m.start for m in ms]
    out += _line_leads(text, inis, ms, ms_starts)
    out += _sentence_lists(text, sentences, inis, ms, ms_starts)
    return out


def residue_is_generic(child: str, parent: str) -> bool:
    """What ``child`` adds to ``parent`` is only generic words, years, editions.

    Args:
        child: The longer name.
        parent: The name inside it.
    """
    residue = child.replace(parent, "", 1)
    residue = _YEARISH.sub("", residue)
    for w in relation_cues()["generic_residue"]:
        residue = residue.replace(w, "")
    return len(re.sub(r"[\W_]", "", residue)) == 0


def _quoted_head(text: str, child: Mention, parent: str) -> bool:
    """``child`` is the quoted ``parent`` plus a description (“和苗”义务支教品牌): one program."""
    surface = text[child.start : child.end]
    k = next((i for i, c in enumerate(surface) if c in OPEN_QUOTES), -1)
    if k < 0 or k > 6:
        return False
    close = next((i for i in range(k + 1, len(surface)) if surface[i] in CLOSE_QUOTES), -1)
    inner = re.sub(r"[\W_]", "", surface[k + 1 : close]) if close > 0 else ""
    return close > 0 and re.sub(r"[\W_]", "", parent) == inner


def _name_contains(text: str, inis: list[Mention]) -> list[RelationItem | None]:
    """A name holding another program's name plus specific words is part of it."""
    out: list[RelationItem | None] = []
    by_name = {}
    for m in inis:
        by_name.setdefault(m.canonical, m)
    for m in inis:
        parent = m.attrs.get("part_of")
        if parent and not residue_is_generic(m.canonical, parent) and not _quoted_head(text, m, parent):
            tail = by_name.get(parent) or Mention(m.start, m.end, m.label, parent, parent, (), {})
            out.append(relation(m, "partOf", tail, m.start, m.end, "named_after"))
    for child in sorted(by_name):
        inner = {child[i:j] for i in range(len(child)) for j in range(i + 2, len(child) + 1)} - {child}
        parents = sorted(p for p in inner if p in by_name)
        # the nearest containing name only
        parents = [p for p in parents if not any(p in q and q != p for q in parents)]
        for parent in parents:
            c = by_name[child]
            if c.attrs.get("part_of") or residue_is_generic(child, parent):
                continue
            if _quoted_head(text, c, parent):
                continue
            out.append(relation(c, "partOf", by_name[parent], c.start, c.end, "name_contains"))
    return out


def _quoted_core(text: str, m: Mention) -> tuple[str, str] | None:
    """``(core, rest)`` of a name that opens with a quoted core (“绽放杯”标杆赛 -> 绽放杯, 标杆赛)."""
    surface = text[m.start : m.end]
    k = next((i for i, c in enumerate(surface) if c in OPEN_QUOTES), -1)
    if k < 0 or k > 6:
        return None
    close = next((i for i in range(k + 1, len(surface)) if surface[i] in CLOSE_QUOTES), -1)
    if close < 0:
        return None
    core = re.sub(r"[\W_]", "", surface[k + 1 : close])
    return (core, re.sub(r"[\W_]", "", surface[close + 1 :])) if core else None


def _shared_quote(text: str, inis: list[Mention]) -> list[RelationItem | None]:
    """A sub-event named with a program's quoted core is part of it (“绽放杯”标杆赛 -> “绽放杯”…大赛)."""
    ends = tuple(relation_cues()["sub_event_ends"])
    cores = [(m, _quoted_core(text, m)) for m in inis]
    out: list[RelationItem | None] = []
    for child, qc in cores:
        if qc is None or not qc[1].endswith(ends):
            continue
        parents = [
            m
            for m, pq in cores
            if pq is not None
            and pq[0] == qc[0]
            and m.canonical != child.canonical
            and not pq[1].endswith(ends)
        ]
        if parents:
            parent = min(parents, key=lambda m: (m.start > child.start, abs(m.start - child.start)))
            out.append(relation(child, "partOf", parent, child.start, child.end, "shared_quote"))
    return out


def _is_received_award(text: str, m: Mention, ms: list[Mention], ms_starts: list[int]) -> bool:
    line_start = text.rfind("\n", 0, m.start) + 1
    near = starting_in(ms, ms_starts, line_start, m.start)
    return received_award(text, m, near, line_start) is not None


def _outside_lead_clause(text: str, lead: Mention, child: Mention) -> bool:
    """In a line led by a program without a colon, ``child`` is another topic or a means.

    A name opening a later part after ； (a new topic), or a channel
    (通过10086热线, 以中国移动App为载体), is not a component of the lead.
    """
    gap = text[lead.end : child.start]
    cut = max(gap.rfind("；"), gap.rfind(";"))
    if cut >= 0 and not gap[cut + 1 :].strip(LEAD_NOISE + "”」』’"):
        return True  # a new topic after ；
    return preceded_by(text, child.start, relation_cues()["means_before"], window=3)


def _line_leads(
    text: str, inis: list[Mention], ms: list[Mention], ms_starts: list[int]
) -> list[RelationItem | None]:
    """Items of a line led by a program; bullets under a paragraph's program; collectives."""
    bullets = relation_cues()["bullet_chars"]
    out: list[RelationItem | None] = []
    lines = text_lines(text)
    leads: list[Mention | None] = []
    starts = [m.start for m in inis]
    for line in lines:
        own = starting_in(inis, starts, line.start, line.end)
        lead = None
        if own and not text[line.start : own[0].start].strip(bullets + LEAD_NOISE):
            lead = own[0]
        leads.append(lead)
        if lead is None or line.heading:
            continue
        after = text[lead.end : min(line.end, lead.end + 12)]
        colon = _LEAD_COLON.match(after)
        if colon and not residue_is_generic(colon.group()[:-1], ""):
            colon = None  # 联通“世界第一大市场”的数智转型之路发布人：… is a byline, not a lead
        if not colon and (line.end - line.start > 300 or line.bullet):
            continue
        for child in own[1:]:
            if _is_received_award(text, child, ms, ms_starts):
                continue
            if not colon and _outside_lead_clause(text, lead, child):
                continue
            out.append(relation(child, "partOf", lead, line.start, line.end, "line_lead"))
    out += _bullets_under(text, lines, leads)
    out += _collectives(text, inis, lines, leads)
    return out


def _bullets_under(text: str, lines: list[Line], leads: list[Mention | None]) -> list[RelationItem | None]:
    """Bullets led by a program, under the program that leads the paragraph before them."""
    out: list[RelationItem | None] = []
    parent: Mention | None = None
    for line, lead in zip(lines, leads, strict=True):
        if not line.bullet:
            parent = lead if not line.heading else None
            continue
        if parent is not None and lead is not None:
            after = text[lead.end : min(line.end, lead.end + 12)]
            if _LEAD_COLON.match(after):
                out.append(relation(lead, "partOf", parent, line.start, line.end, "bullet_under"))
    return out


def _collectives(
    text: str, inis: list[Mention], lines: list[Line], leads: list[Mention | None]
) -> list[RelationItem | None]:
    """Rows under a counted collective: 七大数智化工程 then 乡村教育数智化工程 …"""
    out: list[RelationItem | None] = []
    collective_re = re.compile(relation_cues()["collective_prefix"])
    for m in inis:
        if not collective_re.match(m.canonical) or len(m.canonical) < 4:
            continue
        head_word = m.canonical[-2:]
        started = False
        for line, lead in zip(lines, leads, strict=True):
            if line.end <= m.end:
                continue
            if lead is not None and lead.canonical.endswith(head_word) and lead.canonical != m.canonical:
                out.append(relation(lead, "partOf", m, line.start, line.end, "collective"))
                started = True
            elif started or line.heading:
                break
    out += _unnamed_collectives(text, inis, lines, leads, collective_re)
    return out


def _unnamed_collectives(
    text: str, inis: list[Mention], lines: list[Line], leads: list[Mention | None], collective_re: re.Pattern
) -> list[RelationItem | None]:
    """Rows under a counted collective that is not itself an entity.

    “数智乡村振兴计划”，通过…等“七大数智化工程” then rows 乡村教育数智化工程 …: a
    count names no program of its own, so its rows are part of the program named
    before it in the same sentence.
    """
    out: list[RelationItem | None] = []
    heads = alternation(relation_cues()["collective_heads"])
    pattern = re.compile(r"[“「]?(" + collective_re.pattern.lstrip("^") + rf"[{HAN}]{{1,8}}?({heads}))[”」]?")
    named = {(m.start, m.end) for m in inis}
    for c in pattern.finditer(text):
        if any(a <= c.start(1) and c.end(1) <= b for a, b in named):
            continue  # the collective is an entity: the rule above links to it
        sent_start = max(text.rfind(x, 0, c.start()) for x in "。！？\n") + 1
        before = [m for m in inis if sent_start <= m.start and m.end <= c.start()]
        if not before:
            continue
        parent, head_word = before[-1], c.group(2)
        started = False
        for line, lead in zip(lines, leads, strict=True):
            if line.end <= c.end():
                continue
            if lead is not None and lead.canonical.endswith(head_word) and lead is not parent:
                out.append(relation(lead, "partOf", parent, line.start, line.end, "collective_of"))
                started = True
            elif started or line.heading:
                break
    return out


def _sentence_lists(
    text: str, sentences: list[tuple[int, int]], inis: list[Mention], ms: list[Mention], ms_starts: list[int]
) -> list[RelationItem | None]:
    """Items listed after 包括 / 通过…等, components built within, A——B."""
    cues = relation_cues()
    out: list[RelationItem | None] = []
    starts = [m.start for m in inis]
    for s, e in sentences:
        sent = starting_in(inis, starts, s, e)
        for i, parent in enumerate(sent):
            rest = sent[i + 1 :]
            if not rest:
                continue
            between = text[parent.end : rest[0].start]
            before_child = text[max(parent.end, rest[0].start - 3) : rest[0].start]
            short = len(between) <= 14 and any(c in between for c in cues["list_intro"])
            long = (
                len(between) <= 40
                and any(c in between for c in cues["list_intro_long"])
                and "等" in before_child
            )
            if short or long:
                for child in rest:
                    if child.canonical != parent.canonical and not _is_received_award(
                        text, child, ms, ms_starts
                    ):
                        out.append(relation(child, "partOf", parent, s, e, "listed_under"))
                continue
            if between.strip() in cues["dash_appositions"]:
                out.append(relation(rest[0], "partOf", parent, s, e, "dash_apposition"))
        # components built within a program: 开展A行动，打造B平台 (A: the nearest program before)
        programs = [m for m in sent if m.label == "PROGRAM"]
        for child in sent:
            c = clause_start(text, child.start, s)
            before = [p for p in programs if p.end <= c]
            if not before or not any(v in text[c : child.start] for v in cues["build_verbs"]):
                continue
            if not _is_received_award(text, child, ms, ms_starts):
                out.append(relation(child, "partOf", before[-1], s, e, "built_within"))
    return out
