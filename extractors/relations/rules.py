"""Relations between the mentions of a ``Doc``: who runs what, where, with whom.

Rules, each named in ``RelationItem.rule`` so that a relation says why it is
there. Cue words live in ``data/relation_cues.json``.

- ``subsidiaryOf``: a branch or unit -> its group; a sub-branch -> its branch
  (``branch_name``, ``sub_branch``).
- ``locatedIn``: a branch -> the place in its name; an organisation whose
  name starts with a place (南京大学) -> that place (``name_place``); a
  natural feature after the division it lies in (轮台县的塔克拉玛干沙漠,
  ``place_context``). Place -> parent place otherwise comes from the
  gazetteer when the graph is assembled.
- ``operatedBy``: a program or platform -> the nearest organisation in
  subject position before it in its sentence (not one introduced by 与 /
  联合 / 依托 ..., nor the later members of such an enumeration), or the one
  named after it (X是上海公司的品牌 / 由X牵头, ``actor_after``); else the
  actor of its line, which bullets inherit from the line that introduces
  them (``line_actor``); else the publisher, if the text refers to it at all
  (``publisher``). An award that was received (荣获“…奖”) is run by the
  body that gave it (被国家发改委评为, GSMA 的…奖), or by the group its
  name starts with (``award``), never by the winner. Organisations that
  take part (纳入 / 参与 …, or 在…大赛上，中国联通…) are partners, not
  operators.
- ``partner``: organisations introduced by 与, 联合, 携手, 会同, 支持 ...,
  or followed by 合作 / 共同, with the rest of their enumeration
  (与A、B和C -> three partners), and participants as above.
- ``implementedIn``: places of the sentence that are not part of a name, the
  most specific of an address chain only (贵州省黔西南州册亨县 -> 册亨县);
  a heading line 在英国 for the lines below it (``place_heading``); a
  province or city inside the name (青海“生态之窗”项目, ``name_place``).
- ``partOf``: a name that holds another program's name plus more than
  generic words (全球通蓝色梦想公益计划 -> 蓝色梦想, ``name_contains``);
  items in a line led by a program (“赋能网格”系列培训项目：… / a table row,
  ``line_lead``); bullet leads under the program of the paragraph that
  introduces them (``bullet_under``); rows under a counted collective
  (七大数智化工程 -> 乡村教育数智化工程, ``collective``); items listed after
  包括 / 如 / 通过…等 (``listed_under``); components built within a program
  (开展A行动，打造B平台, ``built_within``); A——B (``dash_apposition``).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.gazetteer import default_gazetteer
from extractors.lexicon import group_by_name, load_json, publisher_group
from extractors.overlaps import award_giver_nested
from kg.model import Mention, RelationItem
from kg.textunits import CLAUSE_END, HAN, SENTENCE_END, char_class

ACTOR_TYPES = ("ORG", "SUBSIDIARY")
INITIATIVE_TYPES = ("PROGRAM", "PLATFORM")
_SENTENCE_END = re.compile(char_class(SENTENCE_END + "\n"))
_CLAUSE_END = re.compile(char_class(CLAUSE_END + "\n"))
_TERMINAL = re.compile(char_class(SENTENCE_END))
_OPEN_QUOTES = '“「『《‘"'
_CLOSE_QUOTES = '”」』》’"'
_LEAD_NOISE = ' \t*“「『‘"《'
#: a program name after a leading year or edition is still the same name
_YEARISH = re.compile(r"(?:19|20)\d{2}年?|第[一二三四五六七八九十百0-9]+[届期季]|[0-9]+")
#: admin levels whose names inside a program name say where it runs
_NAME_PLACE_LEVELS = ("province", "prefecture", "city")


@functools.cache
def _cues() -> dict:
    data = load_json("relation_cues.json")
    out = {}
    for k, v in data.items():
        if k.startswith("_"):
            continue
        out[k] = tuple(sorted(v, key=len, reverse=True)) if isinstance(v, list) else v
    return out


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans of ``doc``: from ``kg_meta["sentences"]`` or by punctuation."""
    given = (doc._.kg_meta or {}).get("sentences")
    if given:
        return [tuple(s) for s in given]
    text = doc_text(doc)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class Line:
    """One line of prepared text (a paragraph, heading, bullet or table row).

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character (the newline excluded).
        bullet: The line starts with a bullet character.
        heading: Short and without sentence-final punctuation.
    """

    start: int
    end: int
    bullet: bool
    heading: bool


def text_lines(text: str) -> list[Line]:
    """Split prepared text into :class:`Line` records (empty lines dropped).

    Args:
        text: Prepared text of a segment.

    Returns:
        Lines in order.
    """
    bullets = _cues()["bullet_chars"]
    out, start = [], 0
    for piece in text.split("\n"):
        end = start + len(piece)
        body = piece.strip()
        if body:
            bullet = body[0] in bullets
            heading = not bullet and len(body) <= 30 and not _TERMINAL.search(body)
            out.append(Line(start, end, bullet, heading))
        start = end + 1
    return out


def _preceded_by(text: str, start: int, words: tuple[str, ...], window: int = 6) -> bool:
    before = text[max(0, start - window) : start].rstrip(" *")
    return before.endswith(tuple(words))


def _followed_by(text: str, end: int, words: tuple[str, ...], window: int = 12) -> bool:
    after = text[end : end + window].lstrip(" *")
    return any(after.startswith(w) or after.startswith("等" + w) for w in words)


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause holding ``pos`` (after the last 。，；： before it)."""
    k = pos - 1
    while k >= floor and not _CLAUSE_END.match(text[k]):
        k -= 1
    return k + 1


def _inside(m: Mention, others: list[Mention], labels: tuple[str, ...] | None = None) -> bool:
    """``m`` lies inside a longer mention (of ``labels`` if given)."""
    return any(
        o is not m
        and o.start <= m.start
        and m.end <= o.end
        and (o.end - o.start) > (m.end - m.start)
        and (labels is None or o.label in labels)
        for o in others
    )


def _in_quoted_name(text: str, m: Mention, window: int = 24) -> bool:
    """``m`` is part of a longer quoted name (「思明区见义勇为模范」)."""
    left = text[max(0, m.start - window) : m.start]
    opener = max((left.rfind(q) for q in _OPEN_QUOTES), default=-1)
    if opener < 0 or any(c in left[opener + 1 :] for c in _CLOSE_QUOTES if c != '"'):
        return False
    right = text[m.end : m.end + window]
    closer = min((i for i in (right.find(q) for q in _CLOSE_QUOTES) if i >= 0), default=-1)
    if closer < 0:
        return False
    return bool(left[opener + 1 :].strip() or right[:closer].strip())


def _between(ms: list[Mention], starts: list[int], s: int, e: int) -> list[Mention]:
    """Mentions of ``ms`` (sorted, ``starts`` their start offsets) starting in ``[s, e)``."""
    return ms[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]


@functools.lru_cache(maxsize=4096)
def _places_in_name(surface: str, data_dir: str | None = None) -> tuple:
    """Unambiguous provinces and cities in a name: ``(start, end, surface, canonical, aliases, attrs)``."""
    gaz = default_gazetteer(data_dir)
    hits = gaz.scan(surface)
    out = []
    for hit in hits:
        canon = {e.canonical for e, _ in hit.senses}
        levels = {e.level for e, _ in hit.senses}
        if len(canon) != 1 or not levels <= set(_NAME_PLACE_LEVELS) or any(e.risky for e, _ in hit.senses):
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


def _relation(head: Mention, rel: str, tail: Mention, start: int, end: int, rule: str) -> RelationItem | None:
    if head.canonical == tail.canonical:
        return None
    return RelationItem(head, rel, tail, start, end, rule)


class RelationFinder:
    """Find relations among the mentions of a ``Doc`` by rules.

    Args:
        data_dir: Folder of the place gazetteer read for places inside names
            (as ``kg_places``'s ``data_dir``); ``None`` for the bundled data.
    """

    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir

    def match(self, doc: Doc) -> list[RelationItem]:
        """Find relations; pure: reads the mentions, returns new records.

        Args:
            doc: A ``Doc`` with resolved ``kg_mentions``.

        Returns:
            Relation records with the span that states them, without
            repeats of one ``(head, relation, tail)``.
        """
        ms = sorted(mentions(doc), key=lambda m: (m.start, -(m.end - m.start)))
        found: list[RelationItem | None] = []
        found += self._structural(doc, ms)
        text = doc_text(doc)
        sentences = sentence_spans(doc)
        found += self._place_context(text, ms)
        found += self._initiatives(doc, text, sentences, ms)
        found += self._part_of(text, sentences, ms)
        out, seen = [], set()
        for r in found:
            if r is None:
                continue
            key = (r.head.key, r.relation, r.tail.key)
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    # ------------------------------------------------------------ names
    def _structural(self, doc: Doc, ms: list[Mention]) -> list[RelationItem | None]:
        """Relations read from names alone: branch -> group, branch -> place."""
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
                    out.append(_relation(m, "subsidiaryOf", tail, m.start, m.end, "sub_branch"))
                else:
                    outer = self._nested_unit(m, ms)
                    if outer is not None:
                        out.append(_relation(m, "subsidiaryOf", outer, m.start, m.end, "nested_unit"))
                if m.attrs.get("group") and not parent:  # a sub-branch: its branch is enough
                    g = group_by_name()[m.attrs["group"]]
                    tail = Mention(
                        m.start, m.end, "ORG", g.canonical, g.canonical, g.aliases, {}, implicit=True
                    )
                    out.append(_relation(m, "subsidiaryOf", tail, m.start, m.end, "branch_name"))
            if m.label in ACTOR_TYPES:
                # places are sorted by start: bisect to those inside m instead of scanning them all
                lo = bisect.bisect_left(place_starts, m.start)
                hi = bisect.bisect_left(place_starts, m.end)
                inner = [p for p in places[lo:hi] if p.end <= m.end]
                if inner and (m.label == "SUBSIDIARY" or inner[0].start == m.start):
                    place = inner[-1] if m.label == "SUBSIDIARY" else inner[0]
                    out.append(_relation(m, "locatedIn", place, m.start, m.end, "name_place"))
        return out

    @staticmethod
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

    @staticmethod
    def _place_context(text: str, ms: list[Mention]) -> list[RelationItem | None]:
        """A natural feature or street right after the division it lies in."""
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
                out.append(_relation(b, "locatedIn", a, a.start, b.end, "place_context"))
        return out

    # ------------------------------------------------------------ actors, partners, places
    def _initiatives(
        self, doc: Doc, text: str, sentences: list[tuple[int, int]], ms: list[Mention]
    ) -> list[RelationItem | None]:
        """operatedBy, partner and implementedIn for every program and platform."""
        cues = _cues()
        lines = text_lines(text)
        publisher = self._publisher(doc)
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
                    for m in _between(ms, starts, line.start, line.end)
                ]
            while k < len(sentences) and sentences[k][1] <= line.start:
                k += 1
            j = k
            while j < len(sentences) and sentences[j][0] < line.end:
                s, e = max(sentences[j][0], line.start), min(sentences[j][1], line.end)
                j += 1
                if s >= e:
                    continue
                sent = _between(ms, starts, s, e)
                out += self._sentence(
                    text, sent, s, e, line_actor or default, publisher, heading_place, lines
                )
                actor = self._last_actor(text, sent, s)
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

    def _sentence(
        self,
        text: str,
        sent: list[Mention],
        s: int,
        e: int,
        fallback: Mention | None,
        publisher: Mention | None,
        heading_place: list[Mention],
        lines: list[Line],
    ) -> list[RelationItem | None]:
        out: list[RelationItem | None] = []
        initiatives = [m for m in sent if m.label in INITIATIVE_TYPES]
        if not initiatives:
            return out
        roles = self._roles(text, sent, s)
        partners = [m for m, role in roles if role == "partner"]
        places = self._places(text, sent)
        if not places:
            places = [p for p in heading_place if p.start < s]
        top = [m for m in initiatives if not _inside(m, sent, INITIATIVE_TYPES)]
        for ini in initiatives:
            if self._not_run_here(text, ini, s):
                out += [
                    _relation(ini, "partner", p, s, e, "partner_cue")
                    for p in partners
                    if self._partner_applies(text, ini, p, top)
                ]
                continue
            award = self._received_award(text, ini, sent, s)
            if award is not None:
                operator = award if isinstance(award, Mention) else self._named_group(ini, publisher)
                if operator is not None:
                    out.append(_relation(ini, "operatedBy", operator, s, e, "award"))
                continue
            participants = self._participants(text, ini, sent, roles, s)
            if participants:
                out += [_relation(ini, "partner", p, s, e, "participation") for p in participants]
            else:
                operator, rule = self._operator(text, ini, sent, roles, s, e)
                if operator is None and fallback is not None:
                    operator, rule = fallback, ("line_actor" if fallback is not publisher else "publisher")
                if operator is not None:
                    out.append(_relation(ini, "operatedBy", operator, s, e, rule))
                out += [
                    _relation(ini, "operatedBy", u, s, e, "relied_on")
                    for u in self._relied_on(text, ini, roles)
                ]
            named = self._group_prefix(text, ini, publisher)
            if named is not None:
                out.append(_relation(ini, "operatedBy", named, s, e, "group_prefix"))
            for p in partners:
                if p.canonical not in {x.canonical for x in participants} and self._partner_applies(
                    text, ini, p, top
                ):
                    out.append(_relation(ini, "partner", p, s, e, "partner_cue"))
            for place in places:
                out.append(_relation(ini, "implementedIn", place, s, e, "same_sentence"))
            for place in self._name_places(ini, self.data_dir):
                if place.canonical not in {p.canonical for p in places}:
                    out.append(_relation(ini, "implementedIn", place, ini.start, ini.end, "name_place"))
        return out

    @staticmethod
    def _not_run_here(text: str, ini: Mention, s: int) -> bool:
        """Nobody of the passage runs ``ini``: a national program (一带一路) or one brought in (引入X基金)."""
        cues = _cues()
        if ini.canonical in cues["national_programs"]:
            return True
        before = text[max(s, ini.start - 6) : ini.start].rstrip(" *" + _OPEN_QUOTES)
        return before.endswith(cues["brought_in_before"])

    @staticmethod
    def _relied_on(text: str, ini: Mention, roles: list) -> list[Mention]:
        """Units the sentence says it relies on (依托联通在线公司…能力，开展X): they run X too."""
        cues = _cues()
        return [
            m
            for m, r in roles
            if r == "other"
            and m.label == "SUBSIDIARY"
            and not m.implicit
            and m.end <= ini.start
            and _preceded_by(text, m.start, cues["relied_on_before"], window=3)
        ]

    @staticmethod
    def _partner_applies(text: str, ini: Mention, p: Mention, top: list[Mention]) -> bool:
        """Whether partner ``p`` of the sentence is named with ``ini``, not with another initiative.

        Before ``ini``: no other initiative between them, unless it is listed
        together with ``ini`` (联合A开展“B”“C”). After it: in the same clause,
        or with 合作 / 共同 after it.
        """
        if p.end <= ini.start:
            between = [m for m in top if p.end <= m.start and m.end <= ini.start and m is not ini]
            if not between:
                return True
            chain = [*between, ini]
            return all(
                not text[a.end : b.start].strip(_CLOSE_QUOTES + _OPEN_QUOTES + "、和及与 ")
                for a, b in zip(chain, chain[1:], strict=False)
            )
        if p.start >= ini.end:
            if any(ini.end <= m.start and m.end <= p.start for m in top):
                return False
            gap = text[ini.end : p.start]
            if not _CLAUSE_END.search(gap):
                return True
            # a later clause: with 邀请X… it still speaks of ini; 联合X建设Y (or 与X共建Z) is a new action
            rest = text[p.end : p.end + 40]
            stop = _CLAUSE_END.search(rest)
            clause_end = p.end + (stop.start() if stop else len(rest))
            if any(p.end <= m.start < clause_end for m in top):
                return False
            if _followed_by(text, p.end, _cues()["partner_after"]):
                return True
            return not any(v in text[p.end : clause_end] for v in _cues()["action_verbs"])
        return True

    def _roles(self, text: str, sent: list[Mention], s: int) -> list[tuple[Mention, str]]:
        """Role of each organisation of a sentence: ``subject``, ``partner`` or ``other``.

        Members of an enumeration (A、B及C) share the role of its first member;
        an enumeration followed by 合作 / 共同 is partners throughout.
        """
        cues = _cues()
        joiners = cues["enumeration_joiners"]
        orgs = [m for m in sent if m.label in ACTOR_TYPES and not _inside(m, sent)]
        roles: list[str] = []
        for i, m in enumerate(orgs):
            gap = text[orgs[i - 1].end : m.start].strip(" *") if i else None
            if gap is not None and gap in joiners and gap != "，":
                roles.append(roles[-1])
            elif _preceded_by(text, m.start, cues["partner_before"]):
                roles.append("partner")
            elif _preceded_by(text, m.start, cues["not_actor_before"]):
                roles.append("other")
            else:
                roles.append("subject")
        for i in range(len(orgs) - 1, -1, -1):
            if not _followed_by(text, orgs[i].end, cues["partner_after"]):
                continue
            k = i
            roles[k] = "partner" if roles[k] == "subject" and k else roles[k]
            while (
                k > 0
                and text[orgs[k - 1].end : orgs[k].start].strip(" *") in joiners
                and roles[k - 1] == "subject"
            ):
                if k - 1 > 0 or _preceded_by(text, orgs[k - 1].start, cues["partner_before"]):
                    roles[k - 1] = "partner"
                k -= 1
        return [
            (m, "other" if m.implicit and r == "partner" else r) for m, r in zip(orgs, roles, strict=True)
        ]

    def _last_actor(self, text: str, sent: list[Mention], s: int) -> Mention | None:
        subjects = [m for m, r in self._roles(text, sent, s) if r == "subject"]
        return subjects[0] if subjects else None

    def _operator(
        self, text: str, ini: Mention, sent: list[Mention], roles: list, s: int, e: int
    ) -> tuple[Mention | None, str]:
        """The organisation running ``ini`` from its own sentence, if said there."""
        cues = _cues()
        before = [m for m, r in roles if r == "subject" and m.end <= ini.start]
        if before:
            return before[-1], "actor"
        after = [m for m, _ in roles if m.start >= ini.end]
        if after:
            m = after[0]
            between = text[ini.end : m.start]
            if (
                len(between) <= 12
                and any(w in between for w in cues["actor_link_after"])
                and _followed_by(text, m.end, cues["actor_after"], window=4)
            ):
                return m, "actor_after"
        return None, ""

    def _participants(
        self, text: str, ini: Mention, sent: list[Mention], roles: list, s: int
    ) -> list[Mention]:
        """Organisations that take part in ``ini`` (纳入 / 参与, 在…大赛上，X…)."""
        cues = _cues()
        subjects = [m for m, r in roles if r == "subject"]
        before = [m for m in subjects if m.end <= ini.start]
        if before:
            between = text[before[-1].end : ini.start]
            if any(w in between for w in cues["participation"]):
                return [m for m in before if not m.implicit] or [before[-1]]
        clause = text[_clause_start(text, ini.start, s) : ini.start]
        frame = "|".join(map(re.escape, cues["participation_frame_after"]))
        closes = re.match(rf"^[”」』]?[^，。；,;“「]{{0,4}}?(?:{frame})[，,]", text[ini.end : ini.end + 10])
        if closes and any(w in clause for w in cues["participation_frame_before"]):
            later = [m for m in subjects if m.start >= ini.end]
            if later:
                return [later[0]]
        return []

    def _received_award(self, text: str, ini: Mention, sent: list[Mention], s: int) -> Mention | bool | None:
        """For an award that was received: the body that gave it, or True if unnamed.

        Returns:
            ``None`` when ``ini`` is not a received award.
        """
        cues = _cues()
        c = _clause_start(text, ini.start, s)
        clause = text[c : ini.start]
        hits = [(clause.rfind(w), w) for w in cues["award_before"] if w in clause]
        if not hits:
            return None
        pos, verb = max(hits)
        if verb == "获" and not ini.canonical.endswith(cues["award_words"]):
            return None
        v = c + pos
        givers = [
            m
            for m in sent
            if m.label in ACTOR_TYPES
            and not m.implicit
            and c <= m.start
            and m.end <= ini.start
            and (m.start >= v + len(verb) or _preceded_by(text, m.start, ("被",), window=2))
        ]
        if givers:
            return givers[-1]
        # the giver opens the award's name (第五届IFF全球绿色金融创新奖)
        nested = [m for m in sent if ini.start <= m.start and m.end <= ini.end and award_giver_nested(m, ini)]
        return nested[0] if nested else True

    @staticmethod
    def _group_prefix(text: str, ini: Mention, publisher: Mention | None) -> Mention | None:
        """The publisher, when its full name stands right before or opens the name (中国移动“小小科学家”)."""
        if publisher is None:
            return None
        names = [n for n in (publisher.canonical, *publisher.aliases) if len(n) >= 4]
        before = text[max(0, ini.start - 8) : ini.start]
        surface = text[ini.start : ini.end]
        if any(before.endswith(n) or surface.startswith(n) for n in names):
            return publisher
        return None

    def _named_group(self, ini: Mention, publisher: Mention | None) -> Mention | None:
        """The publisher, when an award's name starts with its group's name."""
        if publisher is None:
            return None
        names = (publisher.canonical, *publisher.aliases)
        surface = ini.surface.lstrip(_LEAD_NOISE)
        return (
            publisher
            if any(n and (ini.canonical.startswith(n) or surface.startswith(n)) for n in names)
            else None
        )

    def _places(self, text: str, sent: list[Mention]) -> list[Mention]:
        """Places of a sentence where something runs: not in a name, most specific of a chain."""
        cand = [
            m
            for m in sent
            if m.label == "PLACE"
            and not _inside(m, sent, ("ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM"))
            and not _in_quoted_name(text, m)
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

    @staticmethod
    def _name_places(ini: Mention, data_dir: str | None = None) -> list[Mention]:
        """Provinces and cities named inside a program or platform name."""
        out = []
        for hs, he, surface, canonical, aliases, attrs in _places_in_name(ini.surface, data_dir):
            start, end = ini.start + hs, ini.start + he
            out.append(Mention(start, end, "PLACE", canonical, surface, aliases, dict(attrs)))
        return out

    @staticmethod
    def _publisher(doc: Doc) -> Mention | None:
        """The publisher as an implicit mention (without a span of the text)."""
        publisher = (doc._.kg_meta or {}).get("publisher")
        if not publisher:
            return None
        group = publisher_group(publisher)
        canonical = group.canonical if group else publisher
        aliases = group.aliases if group else ()
        return Mention(0, 0, "ORG", canonical, "", aliases, {"source": "publisher"}, implicit=True)

    @staticmethod
    def _publisher_name(doc: Doc) -> str | None:
        pub = (doc._.kg_meta or {}).get("publisher")
        group = publisher_group(pub)
        return group.canonical if group else pub

    # ------------------------------------------------------------ partOf
    def _part_of(
        self, text: str, sentences: list[tuple[int, int]], ms: list[Mention]
    ) -> list[RelationItem | None]:
        inis = [m for m in ms if m.label in INITIATIVE_TYPES]
        starts = [m.start for m in inis]
        # top-level names only (a name nested in another is that other's business)
        inis = [m for m in inis if not _inside(m, _between(inis, starts, m.start - 80, m.start + 1))]
        out: list[RelationItem | None] = []
        out += self._name_contains(text, inis)
        out += self._shared_quote(text, inis)
        ms_starts = [m.start for m in ms]
        out += self._line_leads(text, inis, ms, ms_starts)
        out += self._sentence_lists(text, sentences, inis, ms, ms_starts)
        return out

    @staticmethod
    def _residue_is_generic(child: str, parent: str) -> bool:
        """What ``child`` adds to ``parent`` is only generic words, years, editions."""
        residue = child.replace(parent, "", 1)
        residue = _YEARISH.sub("", residue)
        for w in _cues()["generic_residue"]:
            residue = residue.replace(w, "")
        return len(re.sub(r"[\W_]", "", residue)) == 0

    @staticmethod
    def _quoted_head(text: str, child: Mention, parent: str) -> bool:
        """``child`` is the quoted ``parent`` plus a description (“和苗”义务支教品牌): one program."""
        surface = text[child.start : child.end]
        k = next((i for i, c in enumerate(surface) if c in _OPEN_QUOTES), -1)
        if k < 0 or k > 6:
            return False
        close = next((i for i in range(k + 1, len(surface)) if surface[i] in _CLOSE_QUOTES), -1)
        inner = re.sub(r"[\W_]", "", surface[k + 1 : close]) if close > 0 else ""
        return close > 0 and re.sub(r"[\W_]", "", parent) == inner

    def _name_contains(self, text: str, inis: list[Mention]) -> list[RelationItem | None]:
        """A name holding another program's name plus specific words is part of it."""
        out: list[RelationItem | None] = []
        by_name = {}
        for m in inis:
            by_name.setdefault(m.canonical, m)
        for m in inis:
            parent = m.attrs.get("part_of")
            if (
                parent
                and not self._residue_is_generic(m.canonical, parent)
                and not self._quoted_head(text, m, parent)
            ):
                tail = by_name.get(parent) or Mention(m.start, m.end, m.label, parent, parent, (), {})
                out.append(_relation(m, "partOf", tail, m.start, m.end, "named_after"))
        for child in sorted(by_name):
            inner = {child[i:j] for i in range(len(child)) for j in range(i + 2, len(child) + 1)} - {child}
            parents = sorted(p for p in inner if p in by_name)
            # the nearest containing name only
            parents = [p for p in parents if not any(p in q and q != p for q in parents)]
            for parent in parents:
                c = by_name[child]
                if c.attrs.get("part_of") or self._residue_is_generic(child, parent):
                    continue
                if self._quoted_head(text, c, parent):
                    continue
                out.append(_relation(c, "partOf", by_name[parent], c.start, c.end, "name_contains"))
        return out

    @staticmethod
    def _quoted_core(text: str, m: Mention) -> tuple[str, str] | None:
        """``(core, rest)`` of a name that opens with a quoted core (“绽放杯”标杆赛 -> 绽放杯, 标杆赛)."""
        surface = text[m.start : m.end]
        k = next((i for i, c in enumerate(surface) if c in _OPEN_QUOTES), -1)
        if k < 0 or k > 6:
            return None
        close = next((i for i in range(k + 1, len(surface)) if surface[i] in _CLOSE_QUOTES), -1)
        if close < 0:
            return None
        core = re.sub(r"[\W_]", "", surface[k + 1 : close])
        return (core, re.sub(r"[\W_]", "", surface[close + 1 :])) if core else None

    def _shared_quote(self, text: str, inis: list[Mention]) -> list[RelationItem | None]:
        """A sub-event named with a program's quoted core is part of it (“绽放杯”标杆赛 -> “绽放杯”…大赛)."""
        ends = tuple(_cues()["sub_event_ends"])
        cores = [(m, self._quoted_core(text, m)) for m in inis]
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
                out.append(_relation(child, "partOf", parent, child.start, child.end, "shared_quote"))
        return out

    def _is_received_award(self, text: str, m: Mention, ms: list[Mention], ms_starts: list[int]) -> bool:
        line_start = text.rfind("\n", 0, m.start) + 1
        near = _between(ms, ms_starts, line_start, m.start)
        return self._received_award(text, m, near, line_start) is not None

    @staticmethod
    def _outside_lead_clause(text: str, lead: Mention, child: Mention) -> bool:
        """In a line led by a program without a colon, ``child`` is another topic or a means.

        A name opening a later part after ； (a new topic), or a channel
        (通过10086热线, 以中国移动App为载体), is not a component of the lead.
        """
        gap = text[lead.end : child.start]
        cut = max(gap.rfind("；"), gap.rfind(";"))
        if cut >= 0 and not gap[cut + 1 :].strip(_LEAD_NOISE + "”」』’"):
            return True  # a new topic after ；
        return _preceded_by(text, child.start, _cues()["means_before"], window=3)

    def _line_leads(
        self, text: str, inis: list[Mention], ms: list[Mention], ms_starts: list[int]
    ) -> list[RelationItem | None]:
        """Items of a line led by a program; bullets under a paragraph's program; collectives."""
        cues = _cues()
        out: list[RelationItem | None] = []
        lines = text_lines(text)
        bullets = cues["bullet_chars"]
        leads: list[Mention | None] = []
        starts = [m.start for m in inis]
        for line in lines:
            own = _between(inis, starts, line.start, line.end)
            lead = None
            if own and not text[line.start : own[0].start].strip(bullets + _LEAD_NOISE):
                lead = own[0]
            leads.append(lead)
            if lead is None or line.heading:
                continue
            after = text[lead.end : min(line.end, lead.end + 12)]
            colon = re.match(r"^[^，。；,;]{0,10}?[：:]", after)
            if colon and not self._residue_is_generic(colon.group()[:-1], ""):
                colon = None  # 联通“世界第一大市场”的数智转型之路发布人：… is a byline, not a lead
            if not colon and (line.end - line.start > 300 or line.bullet):
                continue
            for child in own[1:]:
                if self._is_received_award(text, child, ms, ms_starts):
                    continue
                if not colon and self._outside_lead_clause(text, lead, child):
                    continue
                out.append(_relation(child, "partOf", lead, line.start, line.end, "line_lead"))
        # bullets led by a program, under the program that leads the paragraph before them
        parent: Mention | None = None
        for line, lead in zip(lines, leads, strict=True):
            if not line.bullet:
                parent = lead if not line.heading else None
                continue
            if parent is not None and lead is not None:
                after = text[lead.end : min(line.end, lead.end + 12)]
                if re.match(r"^[^，。；,;]{0,10}?[：:]", after):
                    out.append(_relation(lead, "partOf", parent, line.start, line.end, "bullet_under"))
        # rows under a counted collective: 七大数智化工程 then 乡村教育数智化工程 …
        collective_re = re.compile(cues["collective_prefix"])
        for m in inis:
            if not collective_re.match(m.canonical) or len(m.canonical) < 4:
                continue
            head_word = m.canonical[-2:]
            started = False
            for line, lead in zip(lines, leads, strict=True):
                if line.end <= m.end:
                    continue
                if lead is not None and lead.canonical.endswith(head_word) and lead.canonical != m.canonical:
                    out.append(_relation(lead, "partOf", m, line.start, line.end, "collective"))
                    started = True
                elif started or line.heading:
                    break
        out += self._unnamed_collectives(text, inis, lines, leads, collective_re)
        return out

    @staticmethod
    def _unnamed_collectives(text, inis, lines, leads, collective_re) -> list[RelationItem | None]:
        """Rows under a counted collective that is not itself an entity.

        “数智乡村振兴计划”，通过…等“七大数智化工程” then rows 乡村教育数智化工程 …: a
        count names no program of its own, so its rows are part of the program named
        before it in the same sentence.
        """
        out: list[RelationItem | None] = []
        pattern = re.compile(
            r"[“「]?("
            + collective_re.pattern.lstrip("^")
            + rf"[{HAN}]{{1,8}}?(工程|行动|计划|项目|专项))[”」]?"
        )
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
                    out.append(_relation(lead, "partOf", parent, line.start, line.end, "collective_of"))
                    started = True
                elif started or line.heading:
                    break
        return out

    def _sentence_lists(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        inis: list[Mention],
        ms: list[Mention],
        ms_starts: list[int],
    ) -> list[RelationItem | None]:
        """Items listed after 包括 / 通过…等, components built within, A——B."""
        cues = _cues()
        out: list[RelationItem | None] = []
        starts = [m.start for m in inis]
        for s, e in sentences:
            sent = _between(inis, starts, s, e)
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
                        if child.canonical != parent.canonical and not self._is_received_award(
                            text, child, ms, ms_starts
                        ):
                            out.append(_relation(child, "partOf", parent, s, e, "listed_under"))
                    continue
                if between.strip() in ("——", "—", "--", "-—"):
                    out.append(_relation(rest[0], "partOf", parent, s, e, "dash_apposition"))
            # components built within a program: 开展A行动，打造B平台 (A: the nearest program before)
            programs = [m for m in sent if m.label == "PROGRAM"]
            for child in sent:
                c = _clause_start(text, child.start, s)
                before = [p for p in programs if p.end <= c]
                if not before or not any(v in text[c : child.start] for v in cues["build_verbs"]):
                    continue
                if not self._is_received_award(text, child, ms, ms_starts):
                    out.append(_relation(child, "partOf", before[-1], s, e, "built_within"))
        return out

    # ------------------------------------------------------------ spaCy
    def set_annotations(self, doc: Doc, found: list[RelationItem]) -> None:
        """Append ``found`` to ``doc._.kg_relations``."""
        if doc._.kg_relations is None:
            doc._.kg_relations = []
        doc._.kg_relations.extend(found)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


@Language.factory(
    "kg_relations",
    assigns=["doc._.kg_relations"],
    requires=["doc._.kg_mentions"],
    default_config={"data_dir": None},
)
def make_relations(nlp: Language, name: str, data_dir: str | None) -> RelationFinder:
    """spaCy factory of :class:`RelationFinder`.

    Args:
        nlp: The pipeline.
        name: The component's name.
        data_dir: Folder of the place gazetteer; None for the bundled data.
    """
    return RelationFinder(data_dir)
