"""What the measurement model sees of a (figure, subject) pair.

The rules' vote (the subject they chose, or the rule that skipped the
figure), the subject's type and whether it is the publisher, its topic role
(the paragraph's first or latest entity), how often the segment names it and
whether the segment's title does, where it stands
(before the figure, how far, across how many clause breaks, in the sentence
before), the figure's unit and shape, and the words right before and after
the figure.
"""

from __future__ import annotations

import bisect
import re

from extractors.lexicon import jieba_tags
from extractors.measurements.candidates import FigureCandidate
from extractors.measurements.rules import MeasurementContext
from kg.model import Mention

_BREAKS = re.compile(r"[，,；;：:]")


def _bucket(n: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40):
        if n <= limit:
            return str(limit)
    return "far"


def figure_features(ctx: MeasurementContext, c: FigureCandidate, subject: Mention, words) -> list[str]:
    """The feature strings of one (figure, subject) pair.

    Args:
        ctx: The rules' context of the segment.
        c: The figure.
        subject: One of its possible subjects.
        words: ``(starts, texts)`` of the segment's jieba tokens.

    Returns:
        Feature strings.
    """
    picked = c.rule_item is not None and c.rule_item.subject is subject
    f = [f"stype={subject.label}", f"rule={c.rule}", f"rule|{subject.label}={c.rule}"]
    if picked:
        f += ["picked", f"picked|{c.rule}"]
    elif c.rule_item is not None:
        f.append("rule_picked_other")
    else:
        f.append("rule_skipped=" + c.rule)
    if ctx.is_publisher(subject):
        f.append("publisher" + ("_implicit" if subject.implicit else ""))
    if c.anaphor is subject:
        f += ["anaphor", f"anaphor|{subject.label}"]
    elif c.anaphor is not None:
        f.append("anaphor_other")
    for role in c.topics.get(id(subject), ()):
        f += [f"topic={role}", f"topic={role}|{subject.label}"]
    f.append(f"named={ctx.name_count(subject)}|{subject.label}")
    title = ctx.meta.get("title") or ""
    if title and not subject.implicit and (subject.canonical in title or subject.surface in title):
        f += ["in_title", f"in_title|{subject.label}"]
    if c.number is None:
        return [*f, "table", f"table|{subject.label}"]
    num = c.number
    f.append("unit=" + (num.unit or "none"))
    if num.attrs.get("approx"):
        f.append("approx")
    for key in sorted(num.attrs):
        if key not in ("approx",):
            f.append("attr=" + key)
    sent = ctx.sentence(num.start)
    if subject.end == subject.start == num.start or subject.implicit and subject.end <= subject.start:
        f.append("spanless")
    elif subject.end <= num.start:
        gap = ctx.masked[subject.end : num.start]
        f += ["before", "dist=" + _bucket(len(gap)), "breaks=" + str(min(3, len(_BREAKS.findall(gap))))]
        if subject.start < sent[0]:
            f.append("prev_sentence")
        between = [
            m for m in c.subjects if m is not subject and subject.end <= m.start and m.end <= num.start
        ]
        f.append("others_between=" + _bucket(len(between)))
    else:
        gap = ctx.masked[num.end : subject.start]
        f += [
            "after",
            "dist_after=" + _bucket(len(gap)),
            "breaks_after=" + str(min(3, len(_BREAKS.findall(gap)))),
        ]
    first = next((m for m in c.subjects if sent[0] <= m.start), None)
    if first is subject:
        f.append("first_of_sentence")
    starts, texts = words
    k = bisect.bisect_left(starts, num.start)
    tags = jieba_tags()
    for off in (1, 2):
        w = texts[k - off] if k - off >= 0 else "^"
        f += [f"w-{off}={w}", f"w-{off}tag={tags.get(w, '?')}"]
    j = bisect.bisect_left(starts, num.end)
    w = texts[j] if j < len(texts) else "$"
    f += [f"w+1={w}", f"w+1tag={tags.get(w, '?')}"]
    return f
