"""Every figure of a segment with the mentions it may be about, and the features of each pair.

The rules (:mod:`extractors.measurements.rules`) read the numbers: value with
its multiplier, unit, approximation, table cells with their years. Each
figure is then paired with every mention that could be its subject: the
entities (not places) of its sentence and of the sentence before it on the
same line, the subject the rules chose, and the publisher where the passage
names it. The rules' choice, or the rule that skipped the figure (a target,
a benchmark, a person), is a vote among the features.
"""

from __future__ import annotations

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
        out.append(FigureCandidate(num, item, rule, subjects, num.start, num.end))
    out.sort(key=lambda c: (c.start, c.end))
    return out
