"""Annotation tasks as both tools show them: a passage, labelled regions, links, region meta.

A region is a labelled character span of the task text: an entity (one of
:data:`kg.model.ENTITY_TYPES`) or a figure (:data:`MEASUREMENT`). A link joins
two regions: one of the six relations (head -> tail), or :data:`SUBJECT` from
a figure to the entity it is about.

Region meta is a few ``key: value`` lines (Label Studio's region meta text;
doccano keeps them per span in the line's ``kg`` field)::

    canonical: 中国移动福建公司
    mention: 福建公司

``canonical`` names the entity; ``mention`` is the text the line was written
for, so a region whose span the annotator changed no longer takes it.
``reference: yes`` marks a span that refers to the entity without naming it
(公司 for the publisher): its text is no alias. ``aliases: A | B`` adds names,
``optional: yes`` marks the entity optional. A figure carries ``value``,
``unit``, ``year``, ``indicator`` and ``subject`` (the subject's canonical
name, used when no subject link is drawn).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import ENTITY_TYPES, RELATION_TYPES

#: label of a figure's region
MEASUREMENT = "MEASUREMENT"
#: every region label, entity types first
REGION_LABELS = (*ENTITY_TYPES, MEASUREMENT)
#: link from a figure's region to the region of the entity it is about
SUBJECT = "subject"
#: every link label: the six relations, then the figure's subject
LINK_LABELS = (*RELATION_TYPES, SUBJECT)
#: keys of the region meta lines, in the order they are written
META_KEYS = (
    "canonical", "aliases", "mention", "reference", "optional",
    "subject", "value", "unit", "year", "indicator",
)  # fmt: skip
#: separator of several names in one field (aliases, the canonical box)
NAME_SEP = "|"


@dataclass
class Region:
    """A labelled span of a task's text.

    Attributes:
        id: Identifier, unique within the task.
        start: Start offset in the task text.
        end: End offset (exclusive).
        label: One of :data:`REGION_LABELS`.
        text: The text the tool says the region covers (checked against the task text).
        meta: Parsed meta lines (see the module docstring).
        names: Names the annotator typed for the region (canonical first, then aliases).
    """

    id: str
    start: int
    end: int
    label: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A labelled link from region ``head`` to region ``tail`` (ids)."""

    head: str
    tail: str
    label: str


@dataclass
class Task:
    """One annotation task: a passage of a document and what is marked in it.

    Attributes:
        id: The passage id (the document id, ``doc#2`` for the second passage of a long one).
        text: The passage, as in the document (offsets of regions count in it).
        where: Where the task was read from, for error messages.
        document: Id of the document the passage belongs to.
        offset: Where the passage starts in the document's text.
        publisher: The document's publisher, where known.
        year: The document's year, where known.
        source: The document's source file, where known.
        regions: The labelled spans.
        links: The links between them.
    """

    id: str
    text: str
    where: str = ""
    document: str = ""
    offset: int = 0
    publisher: str | None = None
    year: int | None = None
    source: str | None = None
    regions: list[Region] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def data(self) -> dict:
        """What a tool keeps beside the text: the passage id and its document's metadata."""
        return {
            "kg_id": self.id,
            "document": self.document,
            "offset": self.offset,
            "publisher": self.publisher or "",
            "year": self.year,
            "source": self.source or "",
        }


def format_meta(meta: dict[str, str]) -> str:
    """Meta lines for ``meta``, keys in :data:`META_KEYS` order (empty values left out)."""
    return "\n".join(f"{k}: {meta[k]}" for k in META_KEYS if meta.get(k) not in (None, ""))


def parse_meta(text: str) -> dict[str, str]:
    """The ``key: value`` lines of ``text`` whose key is one of :data:`META_KEYS`.

    A full-width colon (``：``) and ``=`` are read as the colon; other lines are notes and ignored.
    """
    out: dict[str, str] = {}
    for line in str(text).splitlines():
        line = line.replace("：", ":", 1)
        sep = ":" if ":" in line else "="
        key, found, value = line.partition(sep)
        key = key.strip().lower()
        if found and key in META_KEYS:
            out[key] = value.strip()
    return out


def split_names(text: str) -> list[str]:
    """The names in ``text`` separated by :data:`NAME_SEP` (or its full-width form), blanks dropped."""
    return [n.strip() for n in str(text).replace("｜", NAME_SEP).split(NAME_SEP) if n.strip()]


def is_yes(value: str | None) -> bool:
    """True for a meta flag that is set (``yes``, ``true``, ``1``, ``是``)."""
    return str(value or "").strip().lower() in ("yes", "true", "1", "y", "是")
