"""The audit trail of resolution: ``merges.csv`` and the ``kg build -v`` summary.

Every candidate pair is one row (merged or refused, with its score, link,
features and the evidence of both sides); so is every alias taken off a
node and every place grounding refused. The file is written inside the
build's staging folder, so it appears only with a complete build.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.resolution.clustering import Decision
from kg.resolution.labels import LabelDrop
from kg.resolution.profile import Key, Profile

MERGES_FILE = "merges.csv"
COLUMNS = (
    "decision", "type", "score", "link", "reason", "keys", "features",
    "a", "a_node", "a_names", "a_attrs", "a_docs", "a_evidence",
    "b", "b_node", "b_names", "b_attrs", "b_docs", "b_evidence",
)
_ATTRS = ("group", "place", "adcode", "parent")


@dataclass(frozen=True)
class Grounding:
    """A place mention whose grounding was refused: the name, the division, why, and where."""

    key: Key
    reason: str
    evidence: str


@dataclass
class ResolutionReport:
    """What resolution decided, for ``merges.csv`` and the summary.

    Attributes:
        decisions: Every candidate pair, merged or refused.
        profiles: The entities before merging (for the evidence columns).
        final: Each entity key's surviving key.
        label_drops: Aliases taken off nodes.
        groundings: Place groundings refused.
        shared: Labels still on more than one node -> those nodes.
    """

    decisions: list[Decision] = field(default_factory=list)
    profiles: dict[Key, Profile] = field(default_factory=dict)
    final: dict[Key, Key] = field(default_factory=dict)
    label_drops: list[LabelDrop] = field(default_factory=list)
    groundings: list[Grounding] = field(default_factory=list)
    shared: dict[str, list[Key]] = field(default_factory=dict)

    def rows(self) -> Iterable[dict[str, str]]:
        """The rows of ``merges.csv``: pairs, then label drops, then refused groundings."""
        for d in self.decisions:
            row = {"decision": "merge" if d.merged else "refuse", "type": _types(d.a, d.b),
                   "score": f"{d.scored.score:.4f}", "link": d.scored.link, "reason": d.reason,
                   "keys": "; ".join(f"{k}={'|'.join(sorted(v))}" for k, v in sorted(d.links.items())),
                   "features": " ".join(f"{k}={v:g}" for k, v in sorted(d.scored.features.items()))}
            row |= self._side("a", d.a) | self._side("b", d.b)
            yield row
        for drop in self.label_drops:
            yield {"decision": "drop-label", "type": drop.node[0], "reason": drop.reason,
                   "a": drop.label} | self._side("b", drop.node)
        for g in self.groundings:
            yield {"decision": "refuse-grounding", "type": "PLACE", "reason": g.reason,
                   "a": g.key[1], "a_evidence": g.evidence}

    def _side(self, prefix: str, k: Key) -> dict[str, str]:
        p = self.profiles.get(k)
        out = {prefix: f"{k[0]}:{k[1]}", f"{prefix}_node": ":".join(self.final.get(k, k))}
        if p is not None:
            out[f"{prefix}_names"] = " | ".join(sorted(p.seen | p.derived)[:12])
            out[f"{prefix}_attrs"] = " ".join(f"{a}={p.attrs[a]}" for a in _ATTRS if p.attrs.get(a))
            out[f"{prefix}_docs"] = " ".join(sorted(p.docs)[:5])
            out[f"{prefix}_evidence"] = p.evidence
        return out

    def csv_text(self) -> str:
        """``merges.csv`` as text (UTF-8 when written, one header line)."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in self.rows():
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
        return buf.getvalue()

    def summary(self) -> list[str]:
        """Lines for ``kg build -v``: merges, refusals by reason, shared labels."""
        merged = [d for d in self.decisions if d.merged and d.reason != "already one cluster"]
        refused = Counter(d.reason.split(":")[0].split(" (")[0] for d in self.decisions if not d.merged)
        nodes = len(set(self.final.values()))
        why = ", ".join(f"{k} {v}" for k, v in refused.most_common())
        lines = [f"resolution: {len(self.decisions)} candidate pairs, {len(merged)} merges "
                 f"({len(self.profiles)} entities -> {nodes} nodes), "
                 f"{sum(refused.values())} refused ({why}), "
                 f"{len(self.label_drops)} aliases dropped, {len(self.groundings)} groundings refused"]
        lines.append(f"shared labels ({len(self.shared)}): one name a text wrote for each of these nodes "
                     "(a short branch name of two operators, or one name of two types)")
        for label, keys in sorted(self.shared.items()):
            lines.append(f"  {label}: {' / '.join(f'{k[0]}:{k[1]}' for k in keys)}")
        return lines


def _types(a: Key, b: Key) -> str:
    return a[0] if a[0] == b[0] else f"{a[0]}/{b[0]}"
