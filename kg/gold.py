"""Gold passages (GUIDELINES format) as training examples for the learned components.

A gold record names its entities, relations and figures by canonical name and
aliases, not by character offsets. :func:`project` finds those names in the
prepared text of each segment (after the same folding the scorer applies:
NFKC, Traditional -> Simplified, quotes and spaces dropped, lower case), so
that a model can learn from spans; :class:`GoldPassage` keeps the names for
the relation and measurement models, which match predicted mentions to gold
entities by name.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.model import ENTITY_TYPES, RELATION_TYPES, Document, Segment
from kg.script import to_simplified

#: characters the scorer ignores in names (GUIDELINES: quotes, book-title marks, spaces)
IGNORED_IN_NAMES = frozenset("“”‘’「」『』《》〈〉\"' \t\r\n\u3000·・")


def fold_name(name: str) -> str:
    """A name as the scorer compares it: NFKC, Simplified, no quotes or spaces, lower case."""
    s = to_simplified(unicodedata.normalize("NFKC", str(name)))
    return "".join(ch for ch in s if ch not in IGNORED_IN_NAMES).lower()


@dataclass
class GoldEntity:
    """One entity of a gold passage."""

    type: str
    canonical: str
    aliases: tuple[str, ...] = ()
    optional: bool = False

    @property
    def names(self) -> frozenset[str]:
        """Folded canonical name and aliases."""
        out = {fold_name(self.canonical), *(fold_name(a) for a in self.aliases)}
        out.discard("")
        return frozenset(out)


@dataclass
class GoldPassage:
    """A gold record: the document it stands for and what a reader finds in it."""

    document: Document
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[tuple[str, str, str, bool]] = field(default_factory=list)  # head, rel, tail, optional
    measurements: list[dict] = field(default_factory=list)

    def entity_named(self, name: str) -> GoldEntity | None:
        """The entity one of whose names is ``name`` (folded)."""
        key = fold_name(name)
        for e in self.entities:
            if key in e.names:
                return e
        return None


def _document(rec: dict, where: str) -> Document:
    from kg.metadata import detect_publisher, detect_script, detect_year

    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: gold record has no 'text'")
    year = rec.get("year")
    return Document(
        id=str(rec.get("id") or where),
        text=text,
        publisher=rec.get("publisher") or detect_publisher(text),
        year=int(year) if year is not None else detect_year(text),
        title=rec.get("title"),
        source=rec.get("source"),
        script=detect_script(text),
    )


def passage_from_record(rec: dict, where: str = "<record>") -> GoldPassage:
    """Read one gold record (GUIDELINES "Record format").

    Args:
        rec: The parsed JSON object.
        where: ``file:line`` for error messages.

    Returns:
        The passage.

    Raises:
        InputError: The record is not in the gold format.
    """
    if not isinstance(rec, dict):
        raise InputError(f"{where}: expected a JSON object")
    passage = GoldPassage(_document(rec, where))
    for e in rec.get("entities") or []:
        if not isinstance(e, dict) or e.get("type") not in ENTITY_TYPES or not e.get("canonical"):
            raise InputError(f"{where}: bad entity {e!r} (needs 'type' in {ENTITY_TYPES} and 'canonical')")
        aliases = tuple(a for a in e.get("aliases") or () if isinstance(a, str))
        passage.entities.append(GoldEntity(e["type"], str(e["canonical"]), aliases, bool(e.get("optional"))))
    for r in rec.get("relations") or []:
        if not isinstance(r, dict) or r.get("relation") not in RELATION_TYPES:
            raise InputError(f"{where}: bad relation {r!r}")
        passage.relations.append((str(r["head"]), r["relation"], str(r["tail"]), bool(r.get("optional"))))
    for m in rec.get("measurements") or []:
        if not isinstance(m, dict) or "subject" not in m or "value" not in m:
            raise InputError(f"{where}: bad measurement {m!r}")
        passage.measurements.append(dict(m))
    return passage


def read_gold(paths: Iterable[str | Path]) -> list[GoldPassage]:
    """Read gold JSON Lines files.

    Args:
        paths: Files in the GUIDELINES record format.

    Returns:
        Their passages, in file and line order.

    Raises:
        InputError: A file is unreadable or a line is not a gold record.
    """
    out: list[GoldPassage] = []
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read gold file ({exc})") from None
        for lineno, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
            out.append(passage_from_record(rec, where))
    return out


@dataclass(frozen=True)
class GoldSpan:
    """A gold entity name found in a segment's prepared text."""

    start: int
    end: int
    type: str
    entity: int  # index into GoldPassage.entities


class FoldedText:
    """Prepared text with ignored characters removed, and where each kept one came from."""

    def __init__(self, text: str) -> None:
        chars, index = [], []
        for i, ch in enumerate(text):
            f = ch.lower()
            if ch in IGNORED_IN_NAMES:
                continue
            chars.append(f)
            index.append(i)
        self.text = "".join(chars)
        self.index = index

    def find_all(self, name: str) -> Iterator[tuple[int, int]]:
        """Prepared-text spans where the folded ``name`` occurs."""
        if not name:
            return
        pos = self.text.find(name)
        while pos >= 0:
            yield self.index[pos], self.index[pos + len(name) - 1] + 1
            pos = self.text.find(name, pos + 1)


def project(passage: GoldPassage, segment: Segment) -> list[GoldSpan]:
    """The spans of ``segment`` that name a gold entity of ``passage``.

    Every occurrence of every name is found; where occurrences overlap the
    longest wins (中国移动福建公司 over 中国移动 and 福建), as a reader marks the
    outermost name. The prepared text is already Simplified and NFKC-folded.

    Args:
        passage: The gold passage the segment was prepared from.
        segment: One segment of ``prepare(passage.document)``.

    Returns:
        Non-overlapping spans sorted by start.
    """
    folded = FoldedText(segment.text)
    found: list[GoldSpan] = []
    for idx, ent in enumerate(passage.entities):
        for name in ent.names:
            for s, e in folded.find_all(name):
                found.append(GoldSpan(s, e, ent.type, idx))
    found.sort(key=lambda g: (-(g.end - g.start), g.start, ENTITY_TYPES.index(g.type)))
    kept: list[GoldSpan] = []
    taken = bytearray(len(segment.text) + 1)
    for g in found:
        if any(taken[g.start : g.end]):
            continue
        taken[g.start : g.end] = b"\x01" * (g.end - g.start)
        kept.append(g)
    kept.sort(key=lambda g: g.start)
    return kept


def split_folds(passages: Sequence[GoldPassage], k: int = 5, seed: int = 13) -> list[list[int]]:
    """Split passage indices into ``k`` folds, by passage, with a fixed seed.

    Args:
        passages: The passages.
        k: Number of folds.
        seed: Seed of the shuffle.

    Returns:
        ``k`` lists of indices, each sorted.
    """
    import random

    order = list(range(len(passages)))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]
