"""Typed records that flow from documents through extractors to the graph.

Documents are read by :mod:`kg.documents`, prepared by :mod:`kg.textprep`,
annotated by the spaCy components of :mod:`extractors`, and the records below
are what those components leave on each ``Doc`` (``doc._.kg_mentions``,
``doc._.kg_relations``, ``doc._.kg_measurements``) and what
:mod:`kg.assemble` turns into RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("ORG", "SUBSIDIARY", "PLACE", "PROGRAM", "PLATFORM")
RELATION_TYPES = ("subsidiaryOf", "locatedIn", "operatedBy", "implementedIn", "partner", "partOf")


@dataclass(frozen=True)
class Document:
    """One input document as read from disk, before any preparation.

    Attributes:
        id: Stable identifier (file stem, or the ``id`` of a JSON Lines record).
        text: The decoded original text; all character offsets refer to it.
        publisher: Group that wrote it (``中国移动``), read from the text if not given.
        year: Report year, read from the text if not given.
        title: Title where known.
        source: File name (or ``file.jsonl:LINE``) it was read from.
        script: ``"Hant"`` or ``"Hans"``: the dominant script of ``text``.
        kind: ``"report"`` or ``"news"`` where known.
        pages: For paged sources (PDF), the offset in ``text`` where each page
            starts (``pages[0] == 0``); ``None`` for text without pages.
        date: Publication date ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) where the source gives it.
    """

    id: str
    text: str
    publisher: str | None = None
    year: int | None = None
    title: str | None = None
    source: str | None = None
    script: str | None = None
    kind: str | None = None
    pages: tuple[int, ...] | None = None
    date: str | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of prepared text processed as one spaCy ``Doc``.

    Attributes:
        text: Prepared text (NFKC, Simplified script, PDF line breaks joined).
        offsets: ``offsets[i]`` is the index in the original document text of
            prepared character ``i``; ``len(offsets) == len(text) + 1`` (the last
            entry maps the end position).
        sentences: ``(start, end)`` spans of sentences in ``text``.
        title: Article title (news collections) or nearest heading, if any.
        date: Publication date ``YYYY-MM-DD`` (or ``YYYY``) where the text gives it.
        year: Year the segment is about (from its date, else the document's year).
    """

    text: str
    offsets: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...]
    title: str | None = None
    date: str | None = None
    year: int | None = None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of prepared text to the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def sentence_of(self, start: int) -> tuple[int, int]:
        """Return the ``(start, end)`` of the sentence containing ``start``."""
        for s, e in self.sentences:
            if s <= start < e:
                return s, e
        return 0, len(self.text)


@dataclass
class Mention:
    """An entity mention found in a segment.

    Attributes:
        start: Start offset in the segment's prepared text.
        end: End offset (exclusive).
        label: One of :data:`ENTITY_TYPES`.
        canonical: The fullest unambiguous Simplified name (resolution key).
        surface: The text as prepared (Simplified).
        aliases: Other names for the same thing known at extraction time.
        attrs: Extra facts: ``place_level``, ``adcode``, ``parent`` (canonical of
            the parent place), ``place`` (canonical place of a branch), ``group``
            (canonical name of a branch's group), ``source`` (rule name).
        implicit: True when the mention refers to the publisher (公司, 我们).
    """

    start: int
    end: int
    label: str
    canonical: str
    surface: str
    aliases: tuple[str, ...] = ()
    attrs: dict = field(default_factory=dict)
    implicit: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.canonical)


@dataclass
class RelationItem:
    """A typed relation between two mentions, with the span that states it."""

    head: Mention
    relation: str
    tail: Mention
    start: int
    end: int
    rule: str = ""


@dataclass
class MeasurementItem:
    """A figure tied to an entity.

    Attributes:
        subject: The mention the figure is about.
        value: The number with multipliers applied, as a decimal string
            (``"224000000"``) so that no float rounding enters the graph.
        unit: Unit word left after removing 万/亿/千 (元, 名, 个, %, ...).
        year: Year the figure refers to, where known.
        indicator: A few words saying what is counted.
        start: Start of the number expression in the segment's prepared text.
        end: End (exclusive).
    """

    subject: Mention
    value: str
    unit: str
    year: int | None
    indicator: str
    start: int
    end: int
