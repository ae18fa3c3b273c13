"""Who does what in a sentence: subjects, partners, participants, award givers.

An organisation in subject position before an initiative runs it; one
introduced by 与 / 联合 / 携手 ... (or followed by 合作 / 共同) is a partner,
with the rest of its enumeration; one that takes part (纳入 / 参与 ..., 在…
大赛上，中国联通…) is a participant. An award that was received (荣获“…奖”)
is run by the body that gave it.
"""

from __future__ import annotations

import re

from extractors.overlaps import award_giver_nested
from extractors.relations.cues import ACTOR_TYPES, relation_cues
from extractors.relations.geometry import (
    CLAUSE_END_RE,
    CLOSE_QUOTES,
    LEAD_NOISE,
    OPEN_QUOTES,
    clause_start,
    followed_by,
    inside,
    preceded_by,
)
from kg.model import Mention

#: ``(organisation, role)`` of a sentence, role one of ``subject``, ``partner``, ``other``
Roles = list[tuple[Mention, str]]


def sentence_roles(text: str, sent: list[Mention], s: int) -> Roles:
    """Role of each organisation of a sentence: ``subject``, ``partner`` or ``other``.

    Members of an enumeration (A、B及C) share the role of its first member;
    an enumeration followed by 合作 / 共同 is partners throughout.

    Args:
        text: The passage.
        sent: The mentions of the sentence, sorted.
        s: Where the sentence starts.
    """
    cues = relation_cues()
    joiners = cues["enumeration_joiners"]
    orgs = [m for m in sent if m.label in ACTOR_TYPES and not inside(m, sent)]
    roles: list[str] = []
    for i, m in enumerate(orgs):
        gap = text[orgs[i - 1].end : m.start].strip(" *") if i else None
        if gap is not None and gap in joiners and gap != "，":
            roles.append(roles[-1])
        elif preceded_by(text, m.start, cues["partner_before"]):
            roles.append("partner")
        elif preceded_by(text, m.start, cues["not_actor_before"]):
            roles.append("other")
        else:
            roles.append("subject")
    for i in range(len(orgs) - 1, -1, -1):
        if not followed_by(text, orgs[i].end, cues["partner_after"]):
            continue
        k = i
        roles[k] = "partner" if roles[k] == "subject" and k else roles[k]
        while (
            k > 0
            and text[orgs[k - 1].end : orgs[k].start].strip(" *") in joiners
            and roles[k - 1] == "subject"
        ):
            if k - 1 > 0 or preceded_by(text, orgs[k - 1].start, cues["partner_before"]):
                roles[k - 1] = "partner"
            k -= 1
    return [(m, "other" if m.implicit and r == "partner" else r) for m, r in zip(orgs, roles, strict=True)]


def first_subject(text: str, sent: list[Mention], s: int) -> Mention | None:
    """The first organisation in subject position of a sentence, if any."""
    subjects = [m for m, r in sentence_roles(text, sent, s) if r == "subject"]
    return subjects[0] if subjects else None


def operator_in_sentence(text: str, ini: Mention, roles: Roles) -> tuple[Mention | None, str]:
    """The organisation running ``ini`` from its own sentence, if said there, and the rule.

    Args:
        text: The passage.
        ini: A program or platform.
        roles: The roles of its sentence (:func:`sentence_roles`).
    """
    cues = relation_cues()
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
            and followed_by(text, m.end, cues["actor_after"], window=4)
        ):
            return m, "actor_after"
    return None, ""


def participants(text: str, ini: Mention, roles: Roles, s: int) -> list[Mention]:
    """Organisations that take part in ``ini`` (纳入 / 参与, 在…大赛上，X…).

    Args:
        text: The passage.
        ini: A program or platform.
        roles: The roles of its sentence.
        s: Where the sentence starts.
    """
    cues = relation_cues()
    subjects = [m for m, r in roles if r == "subject"]
    before = [m for m in subjects if m.end <= ini.start]
    if before:
        between = text[before[-1].end : ini.start]
        if any(w in between for w in cues["participation"]):
            return [m for m in before if not m.implicit] or [before[-1]]
    clause = text[clause_start(text, ini.start, s) : ini.start]
    frame = "|".join(map(re.escape, cues["participation_frame_after"]))
    closes = re.match(rf"^[”」』]?[^，。；,;“「]{{0,4}}?(?:{frame})[，,]", text[ini.end : ini.end + 10])
    if closes and any(w in clause for w in cues["participation_frame_before"]):
        later = [m for m in subjects if m.start >= ini.end]
        if later:
            return [later[0]]
    return []


def received_award(text: str, ini: Mention, sent: list[Mention], s: int) -> Mention | bool | None:
    """For an award that was received: the body that gave it, or True if unnamed.

    Args:
        text: The passage.
        ini: A program (an award, perhaps).
        sent: The mentions before it that may have given it.
        s: Where its sentence (or line) starts.

    Returns:
        ``None`` when ``ini`` is not a received award.
    """
    cues = relation_cues()
    c = clause_start(text, ini.start, s)
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
        and (m.start >= v + len(verb) or preceded_by(text, m.start, ("被",), window=2))
    ]
    if givers:
        return givers[-1]
    # the giver opens the award's name (第五届IFF全球绿色金融创新奖)
    nested = [m for m in sent if ini.start <= m.start and m.end <= ini.end and award_giver_nested(m, ini)]
    return nested[0] if nested else True


def not_run_here(text: str, ini: Mention, s: int) -> bool:
    """Nobody of the passage runs ``ini``: a national program (一带一路) or one brought in (引入X基金)."""
    cues = relation_cues()
    if ini.canonical in cues["national_programs"]:
        return True
    before = text[max(s, ini.start - 6) : ini.start].rstrip(" *" + OPEN_QUOTES)
    return before.endswith(cues["brought_in_before"])


def relied_on(text: str, ini: Mention, roles: Roles) -> list[Mention]:
    """Units the sentence says it relies on (依托联通在线公司…能力，开展X): they run X too."""
    cues = relation_cues()
    return [
        m
        for m, r in roles
        if r == "other"
        and m.label == "SUBSIDIARY"
        and not m.implicit
        and m.end <= ini.start
        and preceded_by(text, m.start, cues["relied_on_before"], window=3)
    ]


def partner_applies(text: str, ini: Mention, p: Mention, top: list[Mention]) -> bool:
    """Whether partner ``p`` of the sentence is named with ``ini``, not with another initiative.

    Before ``ini``: no other initiative between them, unless it is listed
    together with ``ini`` (联合A开展“B”“C”). After it: in the same clause,
    or with 合作 / 共同 after it.

    Args:
        text: The passage.
        ini: A program or platform.
        p: A partner of its sentence.
        top: The initiatives of the sentence not nested in another.
    """
    if p.end <= ini.start:
        between = [m for m in top if p.end <= m.start and m.end <= ini.start and m is not ini]
        if not between:
            return True
        chain = [*between, ini]
        return all(
            not text[a.end : b.start].strip(CLOSE_QUOTES + OPEN_QUOTES + "、和及与 ")
            for a, b in zip(chain, chain[1:], strict=False)
        )
    if p.start >= ini.end:
        if any(ini.end <= m.start and m.end <= p.start for m in top):
            return False
        gap = text[ini.end : p.start]
        if not CLAUSE_END_RE.search(gap):
            return True
        # a later clause: with 邀请X… it still speaks of ini; 联合X建设Y (or 与X共建Z) is a new action
        rest = text[p.end : p.end + 40]
        stop = CLAUSE_END_RE.search(rest)
        clause_end = p.end + (stop.start() if stop else len(rest))
        if any(p.end <= m.start < clause_end for m in top):
            return False
        if followed_by(text, p.end, relation_cues()["partner_after"]):
            return True
        return not any(v in text[p.end : clause_end] for v in relation_cues()["action_verbs"])
    return True


def group_prefix_operator(text: str, ini: Mention, publisher: Mention | None) -> Mention | None:
    """The publisher, when its full name stands right before or opens the name (中国移动“小小科学家”)."""
    if publisher is None:
        return None
    names = [n for n in (publisher.canonical, *publisher.aliases) if len(n) >= 4]
    before = text[max(0, ini.start - 8) : ini.start]
    surface = text[ini.start : ini.end]
    if any(before.endswith(n) or surface.startswith(n) for n in names):
        return publisher
    return None


def named_group(ini: Mention, publisher: Mention | None) -> Mention | None:
    """The publisher, when an award's name starts with its group's name."""
    if publisher is None:
        return None
    names = (publisher.canonical, *publisher.aliases)
    surface = ini.surface.lstrip(LEAD_NOISE)
    return (
        publisher
        if any(n and (ini.canonical.startswith(n) or surface.startswith(n)) for n in names)
        else None
    )
