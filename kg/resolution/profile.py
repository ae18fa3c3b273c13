"""What resolution knows about one entity before it is merged: its :class:`Profile`."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.resolution.names import NameForm, fold, name_form

Key = tuple[str, str]

#: types that may be one node: a group's unit read as ORG in one text and SUBSIDIARY in another
FAMILIES = {"ORG": "org", "SUBSIDIARY": "org", "PROGRAM": "program", "PLATFORM": "platform", "PLACE": "place"}


def entity_group(key: Key, attrs: dict) -> str | None:
    """The telecom group an entity belongs to: from its attributes, else from its name's prefix."""
    return attrs.get("group") or name_form(key[1], key[0]).group


@dataclass
class Profile:
    """One entity (a settled ``(type, canonical)`` key) as resolution sees it.

    Attributes:
        key: ``(type, canonical)``.
        seen: Names read in the text for it (surface forms, both scripts).
        derived: Names the extractors derived for it (branch name patterns,
            quoted and unquoted forms), not necessarily written anywhere.
        attrs: The entity's attributes (``group``, ``place``, ``adcode``, ...).
        docs: Documents it is mentioned in.
        mentions: How many mentions it has.
        neighbours: Entities it is related to (relations other than the
            publisher-default operator).
        operators: Operators read from its name or stated next to it.
        operator_groups: The telecom groups of every operator it has, by any
            rule (the publisher default included).
        parts: Entities it is part of, or that are part of it (partOf either way).
        evidence: Its first piece of evidence, ``doc:start-end «anchor» sentence``.
    """

    key: Key
    seen: set[str] = field(default_factory=set)
    derived: set[str] = field(default_factory=set)
    attrs: dict = field(default_factory=dict)
    docs: frozenset[str] = frozenset()
    mentions: int = 0
    neighbours: frozenset[Key] = frozenset()
    operators: frozenset[str] = frozenset()
    operator_groups: frozenset[str] = frozenset()
    parts: frozenset[Key] = frozenset()
    evidence: str = ""

    @property
    def label(self) -> str:
        """The entity type (ORG, SUBSIDIARY, PROGRAM, PLATFORM, PLACE)."""
        return self.key[0]

    @property
    def canonical(self) -> str:
        """The canonical name."""
        return self.key[1]

    @property
    def family(self) -> str:
        """The types it may share a node with: ``org``, ``program``, ``platform`` or ``place``."""
        return FAMILIES[self.key[0]]

    @property
    def form(self) -> NameForm:
        """The normalised parts of the canonical name."""
        return name_form(self.canonical, self.label)

    @property
    def group(self) -> str | None:
        """The telecom group it belongs to (:func:`entity_group`)."""
        return entity_group(self.key, self.attrs)

    @property
    def place(self) -> str:
        """The place of a regional branch (folded), ``""`` for other entities."""
        return fold(self.attrs.get("place") or "")

    def names(self) -> set[str]:
        """Every name: canonical, seen and derived."""
        return {self.canonical} | self.seen | self.derived
