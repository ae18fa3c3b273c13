"""Stable, readable IRIs: pinyin slugs plus a short content hash.

The same name and type always give the same IRI, on any machine and in any
build order, so graphs built at different times can be merged and diffed.
"""

from __future__ import annotations

import functools
import hashlib
import re

from pypinyin import lazy_pinyin
from rdflib import URIRef

from kg.vocab import KGI

_UNSAFE = re.compile(r"[^a-z0-9]+")


def digest(*parts: object, size: int = 12) -> str:
    """Hex digest of ``parts`` joined by ``|`` (SHA-1, truncated)."""
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:size]


@functools.lru_cache(maxsize=65536)
def slug(name: str, max_len: int = 40) -> str:
    """A lowercase ASCII slug of a Chinese name: 爱心行动 -> ``ai-xin-xing-dong``."""
    text = "-".join(lazy_pinyin(name, errors=lambda s: [s]))
    out = _UNSAFE.sub("-", text.lower()).strip("-")
    return out[:max_len].rstrip("-") or "x"


def entity_iri(label: str, canonical: str) -> URIRef:
    """IRI of the entity of type ``label`` named ``canonical``."""
    kind = {
        "ORG": "organization",
        "SUBSIDIARY": "subsidiary",
        "PLACE": "place",
        "PROGRAM": "program",
        "PLATFORM": "platform",
    }[label]
    return KGI[f"{kind}/{slug(canonical)}-{digest(label, canonical, size=6)}"]


def document_iri(doc_id: str) -> URIRef:
    """IRI of a document."""
    return KGI[f"doc/{slug(doc_id, 60)}-{digest(doc_id, size=6)}"]


def mention_iri(doc_id: str, start: int, end: int) -> URIRef:
    """IRI of a span of a document's original text."""
    return KGI[f"mention/{slug(doc_id, 60)}-{digest(doc_id, size=6)}/{start}-{end}"]


def statement_iri(s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    """IRI of the reification of the triple ``(s, p, o)``."""
    return KGI[f"statement/{digest(s, p, o)}"]


def measurement_iri(*parts: object) -> URIRef:
    """IRI of a measurement identified by its defining fields."""
    return KGI[f"measurement/{digest(*parts)}"]
