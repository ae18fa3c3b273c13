"""``operatedBy``, ``partner`` and ``implementedIn`` of every program and platform.

- ``operatedBy``: the nearest organisation in subject position before the
  initiative in its sentence (not one introduced by 与 / 联合 / 依托 ..., nor
  the later members of such an enumeration), or the one named after it
  (X是上海公司的品牌 / 由X牵头, ``actor_after``); else the actor of its line,
  which bullets inherit from the line that introduces them (``line_actor``);
  else the publisher, if the text refers to it at all (``publisher``). A
  received award is run by its giver or by the group its name starts with
  (``award``), never by the winner (:mod:`.roles`).
- ``partner``: organisations introduced by 与, 联合, 携手, 会同, 支持 ...,
  or followed by 合作 / 共同, with the rest of their enumeration, and
  participants.
- ``implementedIn``: places of the sentence that are not part of a name, the
  most specific of an address chain only (贵州省黔西南州册亨县 -> 册亨县);
  a heading line 在英国 for the lines below it (``place_heading``); a
  province or city inside the name (青海“生态之窗”项目, ``name_place``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors.gazetteer import default_gazetteer
from extractors.organizations.publisher import publisher_mention
from extractors.relations.cues import INITIATIVE_TYPES, relation, relation_cues
from extractors.relations.geometry import in_quoted_name, inside, starting_in, text_lines
from extractors.relations.roles import (
    Roles,
    first_subject,
    group_prefix_operator,
    named_group,
    not_run_here,
    operator_in_sentence,
    participants,
    partner_applies,
    received_award,
    relied_on,
    sentence_roles,
)
from kg.model import Mention, RelationItem


def initiative_relations(
    doc: Doc, text: str, sentences: list[tuple[int, int]], ms: list[Mention], data_dir: str | None
) -> list[RelationItem | None]:
    """operatedBy, partner and implementedIn for every program and platform.

    Args:
        doc: The ``Doc`` (its ``kg_meta`` names the publisher).
        text: Its text.
        sentences: Its sentence spans.
        ms: Its mentions, sorted by start then longest first.
        data_dir: Folder of the place gazetteer read for places inside names.
    """
    cues = relation_cues()
    lines = text_lines(text)
    publisher = publisher_mention(doc, 0, 0)  # implicit, without a span of the text
    # the publisher runs what nobody else is said to run, in a text that refers to it at all
    refers = publisher is not None and any(m.canonical == publisher.canonical for m in ms)
    default = publisher if refers else None
    out: list[RelationItem | None] = []
    block_actor: Mention | None = None  # actor of the last non-bullet line, for its bullets
    heading_place: list[Mention] = []
    starts = [m.start for m in ms]
    k = 0
    for line in lines:
        line_actor = block_actor if line.bullet else None
        line_text = text[line.start : line.end].strip()
        place_heading = re.match(cues["place_heading"], line_text)
        if line.heading:
            heading_place = [
                m
                for m in ms
                if m.label == "PLACE" and place_heading is not None
                for m in starting_in(ms, starts, line.start, line.end)
            ]
        while k < len(sentences) and sentences[k][1] <= line.start:
            k += 1
        j = k
        while j < len(sentences) and sentences[j][0] < line.end:
            s, e = max(sentences[j][0], line.start), min(sentences[j][1], line.end)
            j += 1
            if s >= e:
                continue
            sent = starting_in(ms, starts, s, e)
            scope = _Sentence.read(text, sent, s, e, heading_place)
            if scope is not None:
                out += scope.relations(line_actor or default, publisher, data_dir)
            actor = first_subject(text, sent, s)
            if actor is not None and (
                actor.implicit
                or actor.label == "SUBSIDIARY"
                or actor is publisher
                or actor.canonical == getattr(publisher, "canonical", None)
            ):
                line_actor = actor
        if not line.bullet and not line.heading:
            block_actor = line_actor
    return out


@dataclass(frozen=True)
class _Sentence:
    """A sentence with initiatives, as the rules for their actors, partners and places read it."""

    text: str
    mentions: list[Mention]
    start: int
    end: int
    roles: Roles
    partners: list[Mention]
    places: list[Mention]
    #: its initiatives not nested in another
    top: list[Mention]

    @classmethod
    def read(
        cls, text: str, sent: list[Mention], s: int, e: int, heading_place: list[Mention]
    ) -> _Sentence | None:
        """The sentence ``[s, e)`` with mentions ``sent``, or ``None`` when it names no initiative."""
        if not any(m.label in INITIATIVE_TYPES for m in sent):
            return None
        roles = sentence_roles(text, sent, s)
        partners = [m for m, role in roles if role == "partner"]
        places = _sentence_places(text, sent) or [p for p in heading_place if p.start < s]
        top = [m for m in sent if m.label in INITIATIVE_TYPES and not inside(m, sent, INITIATIVE_TYPES)]
        return cls(text, sent, s, e, roles, partners, places, top)

    def relations(
        self, fallback: Mention | None, publisher: Mention | None, data_dir: str | None
    ) -> list[RelationItem | None]:
        """The relations of every initiative of the sentence.

        Args:
            fallback: Who runs what the sentence gives no actor for (the line's actor or the publisher).
            publisher: The publisher as an implicit mention.
            data_dir: Folder of the place gazetteer.
        """
        out: list[RelationItem | None] = []
        for ini in (m for m in self.mentions if m.label in INITIATIVE_TYPES):
            out += self._initiative(ini, fallback, publisher, data_dir)
        return out

    def _partner_relations(self, ini: Mention, skip: set[str]) -> list[RelationItem | None]:
        return [
            relation(ini, "partner", p, self.start, self.end, "partner_cue")
            for p in self.partners
            if p.canonical not in skip and partner_applies(self.text, ini, p, self.top)
        ]

    def _initiative(
        self, ini: Mention, fallback: Mention | None, publisher: Mention | None, data_dir: str | None
    ) -> list[RelationItem | None]:
        text, s, e = self.text, self.start, self.end
        if not_run_here(text, ini, s):
            return self._partner_relations(ini, set())
        award = received_award(text, ini, self.mentions, s)
        if award is not None:
            operator = award if isinstance(award, Mention) else named_group(ini, publisher)
            return [] if operator is None else [relation(ini, "operatedBy", operator, s, e, "award")]
        out: list[RelationItem | None] = []
        joined = participants(text, ini, self.roles, s)
        if joined:
            out += [relation(ini, "partner", p, s, e, "participation") for p in joined]
        else:
            operator, rule = operator_in_sentence(text, ini, self.roles)
            if operator is None and fallback is not None:
                operator, rule = fallback, ("line_actor" if fallback is not publisher else "publisher")
            if operator is not None:
                out.append(relation(ini, "operatedBy", operator, s, e, rule))
            out += [
                relation(ini, "operatedBy", u, s, e, "relied_on") for u in relied_on(text, ini, self.roles)
            ]
        named = group_prefix_operator(text, ini, publisher)
        if named is not None:
            out.append(relation(ini, "operatedBy", named, s, e, "group_prefix"))
        out += self._partner_relations(ini, {x.canonical for x in joined})
        for place in self.places:
            out.append(relation(ini, "implementedIn", place, s, e, "same_sentence"))
        for place in _name_places(ini, data_dir):
            if place.canonical not in {p.canonical for p in self.places}:
                out.append(relation(ini, "implementedIn", place, ini.start, ini.end, "name_place"))
        return out


def _sentence_places(text: str, sent: list[Mention]) -> list[Mention]:
    """Places of a sentence where something runs: not in a name, most specific of a chain."""
    cand = [
        m
        for m in sent
        if m.label == "PLACE"
        and not inside(m, sent, ("ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM"))
        and not in_quoted_name(text, m)
    ]
    out = []
    for i, m in enumerate(cand):
        nxt = cand[i + 1] if i + 1 < len(cand) else None
        if (
            nxt is not None
            and nxt.start == m.end
            and nxt.attrs.get("place_level") != m.attrs.get("place_level")
        ):
            continue  # 贵州省黔西南州册亨县: keep the last
        out.append(m)
    return out


@functools.lru_cache(maxsize=4096)
def _places_in_name(surface: str, data_dir: str | None = None) -> tuple:
    """Unambiguous provinces and cities in a name: ``(start, end, surface, canonical, aliases, attrs)``."""
    gaz = default_gazetteer(data_dir)
    name_levels = set(relation_cues()["name_place_levels"])
    hits = gaz.scan(surface)
    out = []
    for hit in hits:
        canon = {e.canonical for e, _ in hit.senses}
        levels = {e.level for e, _ in hit.senses}
        if len(canon) != 1 or not levels <= name_levels or any(e.risky for e, _ in hit.senses):
            continue
        if any(
            o.start <= hit.start and hit.end <= o.end and o.end - o.start > hit.end - hit.start for o in hits
        ):
            continue
        entry = hit.senses[0][0]
        parent = gaz.parent(entry)
        attrs = {"place_level": entry.level, "source": "gazetteer"}
        if entry.adcode:
            attrs["adcode"] = entry.adcode
        if parent is not None:
            attrs["parent"] = parent.canonical
        out.append(
            (hit.start, hit.end, hit.surface, entry.canonical, tuple(entry.aliases), tuple(attrs.items()))
        )
    return tuple(out)


def _name_places(ini: Mention, data_dir: str | None = None) -> list[Mention]:
    """Provinces and cities named inside a program or platform name."""
    out = []
    for hs, he, surface, canonical, aliases, attrs in _places_in_name(ini.surface, data_dir):
        start, end = ini.start + hs, ini.start + he
        out.append(Mention(start, end, "PLACE", canonical, surface, aliases, dict(attrs)))
    return out
