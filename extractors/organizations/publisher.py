"""The document's publisher as a mention (公司, 我们 refer to it)."""

from __future__ import annotations

from spacy.tokens import Doc

from extractors import doc_text
from extractors.lexicon import publisher_group
from kg.model import Mention


def publisher_mention(doc: Doc, start: int, end: int) -> Mention | None:
    """A mention of the document's publisher at ``[start, end)`` (公司, 我们).

    Args:
        doc: The ``Doc`` (its ``kg_meta`` names the publisher).
        start: Start offset.
        end: End offset.
    """
    group = publisher_group((doc._.kg_meta or {}).get("publisher"))
    publisher = (doc._.kg_meta or {}).get("publisher")
    if not publisher:
        return None
    aliases = group.aliases if group else ()
    canonical = group.canonical if group else publisher
    surface = doc_text(doc)[start:end]
    return Mention(start, end, "ORG", canonical, surface, aliases, {"source": "publisher"}, implicit=True)
