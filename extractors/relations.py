"""Relations between the mentions of a ``Doc``: who runs what, where, with whom.

Rules, each named in ``RelationItem.rule`` so that a relation says why it is
there:

- ``subsidiaryOf``: a branch or unit -> its group; a sub-branch -> its branch.
- ``locatedIn``: a branch -> the place in its name; an organisation whose
  name starts with a place (南京大学, 青海省环保厅) -> that place. Place ->
  parent place comes from the gazetteer when the graph is assembled.
- ``operatedBy``: a program or platform -> the actor of its clause (the
  organisation or branch in subject position, not one introduced by 与 / 联合
  / 为 ...), else the actor of the paragraph, else the publisher.
- ``partner``: organisations introduced by 与, 联合, 携手, 会同, 支持 ... in
  the sentence of a program, or followed by 合作 / 共同.
- ``implementedIn``: places of the sentence of a program or platform that are
  not part of an organisation's name, including enumerations
  (支持辽宁、陕西、青海、宁夏四省 -> four relations).
- ``partOf``: a program named after another one (“蓝色梦想”校长培训项目 ->
  蓝色梦想, from ``attrs["part_of"]``), and items listed after a program
  with 包括 / 如 / 其中 / 系列.
"""

from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors import mentions
from extractors.lexicon import group_by_name, load_json
from extractors.organizations import publisher_mention
from kg.model import Mention, RelationItem

ACTOR_TYPES = ("ORG", "SUBSIDIARY")
INITIATIVE_TYPES = ("PROGRAM", "PLATFORM")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@functools.cache
def _cues() -> dict:
    data = load_json("relation_cues.json")
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in data.items() if not k.startswith("_")}


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans of ``doc``: from ``kg_meta["sentences"]`` or by punctuation."""
    given = (doc._.kg_meta or {}).get("sentences")
    if given:
        return [tuple(s) for s in given]
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(doc.text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(doc.text):
        spans.append((start, len(doc.text)))
    return spans


def _preceded_by(text: str, start: int, words: tuple[str, ...], window: int = 6) -> bool:
    before = text[max(0, start - window) : start]
    return any(before.endswith(w) for w in words)


def _followed_by(text: str, end: int, words: tuple[str, ...], window: int = 12) -> bool:
    after = text[end : end + window]
    return any(after.startswith(w) or after.startswith("等" + w) for w in words)


class RelationFinder:
    """Find relations among the mentions of a ``Doc`` by rules."""

    def match(self, doc: Doc) -> list[RelationItem]:
        """Find relations; pure: reads the mentions, returns new records.

        Args:
            doc: A ``Doc`` with resolved ``kg_mentions``.

        Returns:
            Relation records with the span of the sentence that states them.
        """
        text = doc.text
        found: list[RelationItem] = []
        ms = mentions(doc)
        found += self._structural(doc, ms)
        actor_of_paragraph: Mention | None = None
        for s, e in sentence_spans(doc):
            if text[max(0, s - 1) : s] == "\n" or s == 0:
                if not text[s:e].strip():
                    continue
            sent = [m for m in ms if s <= m.start < e]
            initiatives = [m for m in sent if m.label in INITIATIVE_TYPES]
            actor = self._actor(text, sent, s)
            if actor is not None and actor.label == "SUBSIDIARY":
                actor_of_paragraph = actor
            if text[s:e].endswith("\n") or "\n" in text[max(0, s - 2) : s]:
                pass
            if not initiatives:
                if "\n\n" in text[s:e] or text[s:e].strip() == "":
                    actor_of_paragraph = None
                continue
            operator = actor or actor_of_paragraph or self._publisher(doc, s)
            partners = self._partners(text, sent, operator)
            places = [m for m in sent if m.label == "PLACE" and not self._inside_name(m, sent)]
            for ini in initiatives:
                if operator is not None:
                    found.append(RelationItem(ini, "operatedBy", operator, s, e, "actor"))
                for p in partners:
                    found.append(RelationItem(ini, "partner", p, s, e, "partner_cue"))
                for place in places:
                    found.append(RelationItem(ini, "implementedIn", place, s, e, "same_sentence"))
            found += self._part_of_lists(text, initiatives, s, e)
        return found

    def _structural(self, doc: Doc, ms: list[Mention]) -> list[RelationItem]:
        """Relations read from names alone: branch -> group, branch -> place."""
        out = []
        by_canonical = {(m.label, m.canonical): m for m in ms}
        for m in ms:
            if m.label == "SUBSIDIARY":
                parent = m.attrs.get("parent_branch")
                if parent:
                    tail = by_canonical.get(("SUBSIDIARY", parent)) or Mention(
                        m.start, m.end, "SUBSIDIARY", parent, parent, (), {"group": m.attrs.get("group")}
                    )
                    out.append(RelationItem(m, "subsidiaryOf", tail, m.start, m.end, "sub_branch"))
                elif m.attrs.get("group"):
                    g = group_by_name()[m.attrs["group"]]
                    tail = Mention(m.start, m.end, "ORG", g.canonical, g.canonical, g.aliases, {}, implicit=True)
                    out.append(RelationItem(m, "subsidiaryOf", tail, m.start, m.end, "branch_name"))
            if m.label in ACTOR_TYPES:
                inner = [p for p in ms if p.label == "PLACE" and m.start <= p.start and p.end <= m.end]
                if inner and (m.label == "SUBSIDIARY" or inner[0].start == m.start):
                    place = inner[-1] if m.label == "SUBSIDIARY" else inner[0]
                    out.append(RelationItem(m, "locatedIn", place, m.start, m.end, "name_place"))
            if m.label in INITIATIVE_TYPES and m.attrs.get("part_of"):
                parent = m.attrs["part_of"]
                tail = by_canonical.get((m.label, parent)) or by_canonical.get(
                    ("PROGRAM" if m.label == "PLATFORM" else "PLATFORM", parent)
                ) or Mention(m.start, m.end, m.label, parent, parent, (), {})
                out.append(RelationItem(m, "partOf", tail, m.start, m.end, "named_after"))
        return out

    @staticmethod
    def _inside_name(m: Mention, sent: list[Mention]) -> bool:
        return any(o is not m and o.start <= m.start and m.end <= o.end and o.label != "PLACE" for o in sent)

    def _actor(self, text: str, sent: list[Mention], s: int) -> Mention | None:
        """The organisation in subject position of the sentence, if any."""
        cues = _cues()
        first_initiative = min((m.start for m in sent if m.label in INITIATIVE_TYPES), default=None)
        for m in sent:
            if m.label not in ACTOR_TYPES or self._inside_name(m, sent):
                continue
            if first_initiative is not None and m.start > first_initiative:
                break
            if _preceded_by(text, m.start, cues["partner_before"]) or _preceded_by(text, m.start, cues["not_actor_before"]):
                continue
            if any(o.label in ACTOR_TYPES and o.start < m.start and o.end > m.start for o in sent):
                continue
            return m
        return None

    def _partners(self, text: str, sent: list[Mention], operator: Mention | None) -> list[Mention]:
        cues = _cues()
        out = []
        for m in sent:
            if m.label not in ACTOR_TYPES or m is operator or self._inside_name(m, sent):
                continue
            if operator is not None and m.canonical == operator.canonical:
                continue
            if m.implicit:
                continue
            if _preceded_by(text, m.start, cues["partner_before"]) or _followed_by(text, m.end, cues["partner_after"]):
                out.append(m)
        return out

    def _publisher(self, doc: Doc, s: int) -> Mention | None:
        return publisher_mention(doc, s, s)

    def _part_of_lists(self, text: str, initiatives: list[Mention], s: int, e: int) -> list[RelationItem]:
        """Items listed after a program with 包括 / 如 / 其中: each is part of it."""
        cues = _cues()
        out = []
        for i, parent in enumerate(initiatives):
            rest = initiatives[i + 1 :]
            if not rest:
                continue
            between = text[parent.end : rest[0].start]
            if len(between) > 14 or not any(c in between for c in cues["list_intro"]):
                continue
            for child in rest:
                if child.canonical != parent.canonical:
                    out.append(RelationItem(child, "partOf", parent, s, e, "listed_under"))
        return out

    def set_annotations(self, doc: Doc, found: list[RelationItem]) -> None:
        """Append ``found`` to ``doc._.kg_relations``."""
        if doc._.kg_relations is None:
            doc._.kg_relations = []
        doc._.kg_relations.extend(found)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


@Language.factory("kg_relations", assigns=["doc._.kg_relations"], requires=["doc._.kg_mentions"])
def make_relations(nlp: Language, name: str) -> RelationFinder:
    """spaCy factory of :class:`RelationFinder`."""
    return RelationFinder()
