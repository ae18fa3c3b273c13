"""What the organisation rules read of one ``Doc``: its text, its places, its 《》 titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.names import book_title_spans, load_words
from extractors.organizations.lexicon import jieba_words


@dataclass(frozen=True)
class OrgText:
    """One ``Doc`` as the organisation rules read it.

    Attributes:
        doc: The tokenised ``Doc``.
        text: Its text.
        place_names: Surfaces of the PLACE mentions found before (in no order).
        titles: Spans of its 《》 titles.
    """

    doc: Doc
    text: str
    place_names: tuple[str, ...]
    titles: tuple[tuple[int, int], ...]

    @classmethod
    def of_doc(cls, doc: Doc) -> OrgText:
        """Read ``doc``'s text, the places found in it and its titles.

        Args:
            doc: A ``Doc`` whose earlier mentions include the places.
        """
        text = doc_text(doc)
        places = tuple({m.surface for m in mentions(doc) if m.label == "PLACE"})
        return cls(doc, text, places, tuple(book_title_spans(text)))

    def in_title(self, start: int, end: int) -> bool:
        """Nothing inside a 《》 title is an organisation of the passage (《礼记·大学》)."""
        return any(s < start and end <= e for s, e in self.titles)

    def place_at(self, start: int) -> bool:
        """Whether a known place starts at ``start`` (省 of 省国资委 is not one)."""
        return any(self.text.startswith(p, start) and len(p) >= 2 for p in self.place_names)

    def after_place(self, start: int, end: int) -> str | None:
        """What follows the longest place that starts ``text[start:end]``, or ``None`` without one."""
        text = self.text[start:end]
        places = [p for p in self.place_names if len(p) >= 2 and text.startswith(p)]
        if not places:
            k = next((k for k in (3, 2) if jieba_words().get(text[:k]) == "ns"), None)
            return text[k:] if k else None
        return text[len(max(places, key=len)) :]

    def strict_proper(self, word: str, lex: dict) -> bool:
        """A word that names: a place, a person, a dictionary name, or a Latin name that is no technology."""
        if re.fullmatch(r"[A-Za-z0-9&\-]*[A-Za-z][A-Za-z0-9&\-]*", word):
            return word not in load_words("platform_tech_words.txt") and not re.fullmatch(
                r"\d*[A-Z]{1,2}\d*", word
            )
        pos = jieba_words().get(word)
        return (
            pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j")
            or word in self.place_names
            or word in lex["national"]
        )

    def proper_word(self, word: str, lex: dict) -> bool:
        """A word that can stand before a full name: a place, a name, or 国家/国务院."""
        pos = jieba_words().get(word)
        return (
            pos in lex["proper_pos"]
            or word in self.place_names
            or word in lex["national"]
            or re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word) is not None
        )
