"""Clustering: accepted pairs joined best first, with conflicts checked between whole clusters.

Union-find over the pairs the scorer accepts, in descending score. Before
two clusters are joined, every member of one is checked against every
member of the other (:func:`kg.resolution.scoring.conflicts`): a chain
广州分公司 ~ 广州 ~ 广东分公司 stops where two places meet, so transitivity
never joins what a pair would have refused. Each cluster is then named by
its best member (:func:`representative`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.resolution.names import STATE_PREFIXES, fold, group_names
from kg.resolution.profile import Key, Profile
from kg.resolution.scoring import Scored, body, conflicts


@dataclass
class Decision:
    """One audited decision about a candidate pair."""

    a: Key
    b: Key
    scored: Scored
    links: dict[str, set[str]]
    merged: bool
    reason: str


class Clusters:
    """Union-find of entity keys with the members of each root."""

    def __init__(self, keys: Iterable[Key]):
        self.parent = {k: k for k in keys}
        self.members = {k: [k] for k in self.parent}

    def find(self, k: Key) -> Key:
        """The root of ``k``'s cluster."""
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: Key, b: Key) -> None:
        """Join the clusters of ``a`` and ``b`` (the smaller key becomes the root)."""
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra != rb:
            self.parent[rb] = ra
            self.members[ra] += self.members.pop(rb)


def cluster_conflict(clusters: Clusters, profiles: dict[Key, Profile], a: Key, b: Key) -> str:
    """The first conflict between a member of ``a``'s cluster and one of ``b``'s ("" when none)."""
    for x in clusters.members[clusters.find(a)]:
        for y in clusters.members[clusters.find(b)]:
            found = conflicts(profiles[x], profiles[y])
            if found:
                return f"{x[1]} / {y[1]}: {found[0]}"
    return ""


def cluster(profiles: dict[Key, Profile], scored: dict[tuple[Key, Key], tuple[Scored, dict]]
            ) -> tuple[dict[Key, Key], list[Decision]]:
    """Join the accepted pairs, best first, guarding every join.

    Args:
        profiles: The entities.
        scored: ``(a, b) -> (Scored, links)`` of every candidate pair.

    Returns:
        ``(representative of each key, decisions)``, decisions in the order taken.
    """
    clusters = Clusters(profiles)
    decisions = []
    order = sorted(scored.items(), key=lambda item: (-item[1][0].score, item[0]))
    for (a, b), (s, links) in order:
        if s.conflicts:
            decisions.append(Decision(a, b, s, links, False, "conflict: " + "; ".join(s.conflicts)))
        elif not s.merge:
            decisions.append(Decision(a, b, s, links, False, f"score below threshold ({s.score:.2f})"))
        elif clusters.find(a) == clusters.find(b):
            decisions.append(Decision(a, b, s, links, True, "already one cluster"))
        elif found := cluster_conflict(clusters, profiles, a, b):
            decisions.append(Decision(a, b, s, links, False, "transitivity guard: " + found))
        else:
            clusters.union(a, b)
            decisions.append(Decision(a, b, s, links, True, f"{s.link} link"))
    rep = {}
    for members in clusters.members.values():
        best = representative([profiles[k] for k in members])
        for k in members:
            rep[k] = best.key
    return rep, decisions


def rank(p: Profile) -> tuple:
    """Sort key of a cluster's possible names: best first.

    A group's own entity first, then the full name of a lexicon body, then a
    branch named by the guidelines' pattern (no chain, no 省/市), then an
    organisation name that starts with its group's canonical name, then a name
    without the state prefix (教育部 over 中华人民共和国教育部), then the most mentioned,
    then the longer, then code-point order.
    """
    form = p.form
    is_group = p.label == "ORG" and p.canonical in group_names()
    full_body = body(p) is not None and fold(body(p) or "") == fold(p.canonical)
    pattern = bool(form.branch) and not form.marker and form.folded.count("公司") == 1
    prefixed = p.family == "org" and bool(p.group) and p.canonical.startswith(p.group or "")
    state = p.canonical.startswith(STATE_PREFIXES)
    return (not is_group, not full_body, not pattern, not prefixed, state, -p.mentions, -len(p.canonical),
            p.canonical)


def representative(members: list[Profile]) -> Profile:
    """The member that names a cluster (:func:`rank`)."""
    return min(members, key=rank)
