"""Relations read from names and adjacent places alone.

- ``subsidiaryOf``: a branch or unit -> its group (``branch_name``); a
  sub-branch -> its branch (``sub_branch``); a unit whose name opens a longer
  unit's name -> that unit (``nested_unit``);
- ``locatedIn``: a branch -> the place in its name; an organisation whose
  name starts with a place (南京大学) -> that place (``name_place``); a
  natural feature after the division it lies in (轮台县的塔克拉玛干沙漠,
  ``place_context``).
"""

from __future__ import annotations

import bisect

from extractors.lexicon import group_by_name
from extractors.relations.cues import ACTOR_TYPES, relation
from kg.model import Mention, RelationItem


def name_relations(ms: list[Mention]) -> list[RelationItem | None]:
    """Relations read from names alone: branch -> group, branch -> place.

    Args:
        ms: The mentions of a ``Doc``, sorted by start then longest first.
    """
    out: list[RelationItem | None] = []
    by_canonical = {(m.label, m.canonical): m for m in ms}
    places = sorted((p for p in ms if p.label == "PLACE"), key=lambda p: (p.start, p.end))
    place_starts = [p.start for p in places]
    for m in ms:
        if m.label == "SUBSIDIARY":
            parent = m.attrs.get("parent_branch")
            if parent:
                tail = by_canonical.get(("SUBSIDIARY", parent)) or Mention(
                    m.start, m.end, "SUBSIDIARY", parent, parent, (), {"group": m.attrs.get("group")}
                )
                out.append(relation(m, "subsidiaryOf", tail, m.start, m.end, "sub_branch"))
            else:
                outer = _nested_unit(m, ms)
                if outer is not None:
                    out.append(relation(m, "subsidiaryOf", outer, m.start, m.end, "nested_unit"))
            if m.attrs.get("group") and not parent:  # a sub-branch: its branch is enough
                g = group_by_name()[m.attrs["group"]]
                tail = Mention(m.start, m.end, "ORG", g.canonical, g.canonical, g.aliases, {}, implicit=True)
                out.append(relation(m, "subsidiaryOf", tail, m.start, m.end, "branch_name"))
        if m.label in ACTOR_TYPES:
            # places are sorted by start: bisect to those inside m instead of scanning them all
            lo = bisect.bisect_left(place_starts, m.start)
            hi = bisect.bisect_left(place_starts, m.end)
            inner = [p for p in places[lo:hi] if p.end <= m.end]
            if inner and (m.label == "SUBSIDIARY" or inner[0].start == m.start):
                place = inner[-1] if m.label == "SUBSIDIARY" else inner[0]
                out.append(relation(m, "locatedIn", place, m.start, m.end, "name_place"))
    return out


def _nested_unit(m: Mention, ms: list[Mention]) -> Mention | None:
    """The unit whose name opens ``m``'s longer name (中移铁通北京分公司 -> 中移铁通).

    The branch finder names sub-branches of regional branches itself
    (``parent_branch``); this covers units of any other name.
    """
    inner = [
        o
        for o in ms
        if o.label == "SUBSIDIARY" and o.start == m.start and o.end < m.end and o.canonical != m.canonical
    ]
    return max(inner, key=lambda o: o.end) if inner else None


def place_context(text: str, ms: list[Mention]) -> list[RelationItem | None]:
    """A natural feature or street right after the division it lies in.

    Args:
        text: The passage.
        ms: Its mentions, sorted by start.
    """
    places = [m for m in ms if m.label == "PLACE"]
    out: list[RelationItem | None] = []
    for a, b in zip(places, places[1:], strict=False):
        gap = text[a.end : b.start]
        if gap not in ("", "的") or a.attrs.get("place_level") in (None, "natural", "unknown"):
            continue
        if (
            b.attrs.get("place_level") in ("natural", "township", "village")
            or b.attrs.get("source") == "pattern"
        ):
            out.append(relation(b, "locatedIn", a, a.start, b.end, "place_context"))
    return out
