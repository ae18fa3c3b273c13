"""``kg_organizations``: the component that runs the organisation rules in order."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors import mentions
from extractors.organizations.context import OrgText
from extractors.organizations.dictionary import dictionary_mentions
from extractors.organizations.latin import add_abbreviations, award_giver_mentions, reporter_mentions
from extractors.organizations.lists import list_mentions
from extractors.organizations.national import national_mentions
from extractors.organizations.suffix_names import suffix_mentions
from extractors.organizations.units import (
    group_mentions,
    retype_founded_units,
    stem_mentions,
    unit_mentions,
)
from kg.model import Mention


class OrganizationFinder:
    """Find organisation mentions (ORG, and group units as SUBSIDIARY).

    Args:
        use_jieba_nt: Read the organisation names of jieba's dictionary too.
        max_name_chars: Longest suffix name read.
    """

    def __init__(self, use_jieba_nt: bool = True, max_name_chars: int = 18):
        self.use_jieba_nt = use_jieba_nt
        self.max_name_chars = max_name_chars

    def match(self, doc: Doc) -> list[Mention]:
        """Find organisations in ``doc``; pure.

        Args:
            doc: A tokenised ``Doc`` (earlier mentions are read, not changed).

        Returns:
            New ORG / SUBSIDIARY mentions, possibly overlapping each other;
            ``kg_overlaps`` picks among them.
        """
        ctx = OrgText.of_doc(doc)
        text = ctx.text
        units = unit_mentions(text)
        national = national_mentions(text)
        spans = {(m.start, m.end) for m in national}
        found = group_mentions(text) + units + stem_mentions(text, units) + national
        found += [m for m in suffix_mentions(ctx, self.max_name_chars) if (m.start, m.end) not in spans]
        if self.use_jieba_nt:
            found += [m for m in dictionary_mentions(ctx) if (m.start, m.end) not in spans]
        found += list_mentions(text, [*mentions(doc), *found])
        found += reporter_mentions(text) + award_giver_mentions(text)
        add_abbreviations(text, found)
        found = [m for m in found if m.attrs.get("source") == "group" or not ctx.in_title(m.start, m.end)]
        retype_founded_units(doc, found)
        taken = [(m.start, m.end) for m in mentions(doc) if m.label in ("SUBSIDIARY", "ORG")]
        return [m for m in found if not any(s <= m.start and m.end <= e for s, e in taken)]

    def set_annotations(self, doc: Doc, found: list[Mention]) -> None:
        """Append ``found`` to the mentions of ``doc``."""
        mentions(doc).extend(found)

    def __call__(self, doc: Doc) -> Doc:
        """Find the organisations of ``doc`` and add them to its mentions."""
        self.set_annotations(doc, self.match(doc))
        return doc


@Language.factory(
    "kg_organizations",
    assigns=["doc._.kg_mentions"],
    default_config={"use_jieba_nt": True, "max_name_chars": 18},
)
def make_organizations(
    nlp: Language, name: str, use_jieba_nt: bool, max_name_chars: int
) -> OrganizationFinder:
    """spaCy factory of :class:`OrganizationFinder`.

    Args:
        nlp: The pipeline.
        name: The component's name.
        use_jieba_nt: Read the organisation names of jieba's dictionary too.
        max_name_chars: Longest suffix name read.
    """
    return OrganizationFinder(use_jieba_nt=use_jieba_nt, max_name_chars=max_name_chars)
