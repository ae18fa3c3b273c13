"""``kg_relations``: relations between the mentions of a ``Doc`` by rules — who runs what, where, with whom.

Each rule is named in ``RelationItem.rule`` so that a relation says why it is
there; cue words live in ``data/relation_cues.json`` (:mod:`.cues`). The
rules are modules of their own:

- :mod:`.structural`: ``subsidiaryOf`` and ``locatedIn`` read from names (a
  branch -> its group and the place in its name) and from a natural feature
  after the division it lies in. Place -> parent place otherwise comes from
  the gazetteer when the graph is assembled.
- :mod:`.initiatives` (with :mod:`.roles`): ``operatedBy``, ``partner`` and
  ``implementedIn`` of every program and platform, from the roles of the
  organisations of its sentence, the actor of its line, the publisher, the
  places of the sentence and of its name.
- :mod:`.part_of`: ``partOf`` from names that hold another name, from lines
  led by a program, bullets, counted collectives, lists and apposition.
- :mod:`.geometry`: sentences, lines, clauses and quotes of the text.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.relations.geometry import Line, sentence_spans, text_lines
from extractors.relations.initiatives import initiative_relations
from extractors.relations.part_of import part_of_relations
from extractors.relations.structural import name_relations, place_context
from kg.model import RelationItem

__all__ = ["Line", "RelationFinder", "make_relations", "sentence_spans", "text_lines"]


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
        found += name_relations(ms)
        text = doc_text(doc)
        sentences = sentence_spans(doc)
        found += place_context(text, ms)
        found += initiative_relations(doc, text, sentences, ms, self.data_dir)
        found += part_of_relations(text, sentences, ms)
        out, seen = [], set()
        for r in found:
            if r is None:
                continue
            key = (r.head.key, r.relation, r.tail.key)
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    def set_annotations(self, doc: Doc, found: list[RelationItem]) -> None:
        """Append ``found`` to ``doc._.kg_relations``."""
        if doc._.kg_relations is None:
            doc._.kg_relations = []
        doc._.kg_relations.extend(found)

    def __call__(self, doc: Doc) -> Doc:
        """Find the relations of ``doc`` and add them to ``doc._.kg_relations``."""
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
