"""spaCy components that find entities, relations and figures.

Each module registers one factory (``kg_places``, ``kg_branches``, ...).
Components read and write the typed records of :mod:`kg.model` through the
``Doc`` extensions registered here:

- ``doc._.kg_meta``: dict with ``publisher``, ``year``, ``doc_id``, ``title``
  (set by :mod:`kg.pipeline` before the components run);
- ``doc._.kg_mentions``: list of :class:`kg.model.Mention`;
- ``doc._.kg_relations``: list of :class:`kg.model.RelationItem`;
- ``doc._.kg_measurements``: list of :class:`kg.model.MeasurementItem`.

Components read the text through :func:`doc_text`, never ``doc.text``: spaCy
rebuilds ``Doc.text`` from every token on each access.
"""

from __future__ import annotations

from spacy.tokens import Doc

for _name in ("kg_meta", "kg_mentions", "kg_relations", "kg_measurements"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def init_doc(doc: Doc, meta: dict) -> Doc:
    """Give ``doc`` fresh record lists and its document metadata.

    Args:
        doc: A tokenised ``Doc``.
        meta: ``publisher``, ``year``, ``doc_id``, ``title`` of its document.

    Returns:
        The same ``doc``.
    """
    doc._.kg_meta = dict(meta)
    doc._.kg_mentions = []
    doc._.kg_relations = []
    doc._.kg_measurements = []
    return doc


#: ``doc.user_data`` key of the text built by :func:`doc_text`
_TEXT_KEY = "kg_text"


def doc_text(doc: Doc) -> str:
    """The text of ``doc``, built once and kept in ``doc.user_data``.

    ``Doc.text`` joins every token anew on each access; the components read
    the text about a dozen times per ``Doc``.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def mentions(doc: Doc) -> list:
    """The mention list of ``doc``, created empty if a component runs alone."""
    if doc._.kg_mentions is None:
        init_doc(doc, doc._.kg_meta or {})
    return doc._.kg_mentions
