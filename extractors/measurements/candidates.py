"""Every figure of a segment with the mentions it may be about, and the features of each pair.

The rules (:mod:`extractors.measurements.rules`) read the numbers: value with
its multiplier, unit, approximation, table cells with their years. Each
figure is then paired with every mention that could be its subject: the
entities (not places) of its sentence and of the sentence before it on the
same line, the subject the rules chose, the publisher where the passage
names it, the entity an anaphor before the figure refers back to
(该行, 该公司, 该项目: the nearest entity of that kind), and what its
paragraph may be about (:func:`topic_subjects`: the nearest entity named
before those sentences, the first of the line). The rules' choice,
or the rule that skipped the figure (a target, a benchmark, a person), is a
vote among the features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.measurements.rules import SUBJECT_LABELS, MeasurementContext
from extractors.numbers import ParsedNumber
from kg.model import MeasurementItem, Mention


@dataclass
class FigureCandidate:
    """A figure, the rules' record of it, and its possible subjects."""

    number: ParsedNumber | None  # None for a table cell
    rule_item: MeasurementItem | None
    rule: str
    subjects: list[Mention] = field(default_factory=list)
    start: int = 0
    end: int = 0
    anaphor: Mention | None = None  # the entity 该行 / 该项目 before the figure refers to
    topics: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id(subject) -> its topic roles

    @property
    def value(self) -> str:
        """The value as a decimal string."""
        return self.rule_item.value if self.number is None else self.number.value


def figure_candidates(ctx: MeasurementContext, table_items, prose) -> list[FigureCandidate]:
    """The candidates of one segment from the rules' proposals.

    Args:
        ctx: The rules' context of the segment.
        table_items: Table records the rules read.
        prose: ``(figure, item or None, rule)`` of every running-text figure.

    Returns:
        Candidates in text order.
    """
    out = []
    for item in table_items:
        out.append(FigureCandidate(None, item, "table", [item.subject], item.start, item.end))
    for num, item, rule in prose:
        sent = ctx.sentence(num.start)
        line = ctx.line_of(num.start)
        prev = ctx.sentence(max(line[0], sent[0] - 1)) if sent[0] > line[0] else sent
        subjects = [
            m
            for m in ctx.candidates
            if m.label in SUBJECT_LABELS and prev[0] <= m.start and m.end <= sent[1] and not m.implicit
        ]
        implicit = [m for m in ctx.candidates if m.implicit and sent[0] <= m.start < sent[1]]
        subjects += implicit[:1]
        publisher = ctx.publisher(num.start)
        if publisher is not None and not any(ctx.is_publisher(m) for m in subjects):
            subjects.append(publisher)
        if item is not None and not any(m is item.subject for m in subjects):
            subjects.append(item.subject)
        referent = anaphor_referent(ctx, sent[0], num.start)
        if referent is not None and not any(m is referent for m in subjects):
            subjects.append(referent)
        topics = topic_subjects(ctx, line, prev[0], num.start)
        for m in topics.values():
            if not any(o is m for o in subjects):
                subjects.append(m)
        roles: dict[int, tuple[str, ...]] = {}
        for role, m in topics.items():
            roles[id(m)] = (*roles.get(id(m), ()), role)
        out.append(FigureCandidate(num, item, rule, subjects, num.start, num.end, referent, roles))
    out.sort(key=lambda c: (c.start, c.end))
    return out


#: how far before a figure (characters) the entity its paragraph is about may stand
TOPIC_REACH = 500


def topic_subjects(
    ctx: MeasurementContext, line: tuple[int, int], before: int, pos: int
) -> dict[str, Mention]:
    """What the paragraph of a figure may be about, beyond its own and the previous sentence.

    ``recent``: the nearest entity before ``before`` (the start of the
    sentence before the figure's) on the figure's line, within
    :data:`TOPIC_REACH`; ``line_first``: the first entity of that line, when
    the line starts within reach (a bullet or paragraph about one program,
    whose figures follow in later sentences).
    """
    lo = max(line[0], pos - TOPIC_REACH)
    earlier = [m for m in ctx.candidates if not m.implicit and lo <= m.start and m.end <= before]
    out: dict[str, Mention] = {}
    if earlier:
        out["recent"] = max(earlier, key=lambda m: (m.start, -m.end))
        if line[0] >= pos - TOPIC_REACH:
            out["line_first"] = earlier[0]
    return out


#: 该 + a kind word (该行, 该公司, 该项目): the kinds of entity each one refers back to, and the
#: ending its name should have (empty: any name of those types)
_ANAPHORS = {
    "行": (("ORG", "SUBSIDIARY"), "行"),
    "公司": (("ORG", "SUBSIDIARY"), ""),
    "集团": (("ORG", "SUBSIDIARY"), ""),
    "企业": (("ORG", "SUBSIDIARY"), ""),
    "基金会": (("ORG", "SUBSIDIARY"), "基金会"),
    "院": (("ORG", "SUBSIDIARY"), "院"),
    "中心": (("ORG", "SUBSIDIARY", "PLATFORM"), "中心"),
    "项目": (("PROGRAM",), ""),
    "计划": (("PROGRAM",), ""),
    "活动": (("PROGRAM",), ""),
    "工程": (("PROGRAM",), ""),
    "平台": (("PLATFORM",), ""),
    "系统": (("PLATFORM",), ""),
}
_ANAPHOR = re.compile("该(" + "|".join(sorted(_ANAPHORS, key=len, reverse=True)) + ")")
#: how far back (characters) the entity an anaphor refers to may stand
_ANAPHOR_REACH = 600


def anaphor_referent(ctx: MeasurementContext, sent_start: int, pos: int) -> Mention | None:
    """The entity that 该行 / 该公司 / 该项目 between ``sent_start`` and ``pos`` refers to, if any.

    The nearest named entity of the anaphor's kind before it (within a few
    sentences), whose name ends in the kind word where the word is specific
    (该行: 甘孜州分行, not the group above it).
    """
    found = None
    for mo in _ANAPHOR.finditer(ctx.text, sent_start, pos):
        found = mo
    if found is None:
        return None
    labels, ending = _ANAPHORS[found.group(1)]
    best = None
    for m in ctx.candidates:
        if m.implicit or m.end > found.start() or m.start < found.start() - _ANAPHOR_REACH:
            continue
        if m.label in labels and (not ending or m.canonical.endswith(ending) or m.surface.endswith(ending)):
            if best is None or m.start > best.start:
                best = m
    return best
