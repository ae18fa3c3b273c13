"""Regional branches of telecom groups: 福建公司, 福建移动, 中国联通广东省分公司.

A branch is read around a place mention found by ``kg_places``:

- group prefix + place + 公司/分公司/有限公司  (中国移动通信集团湖北有限公司)
- place + group word (+ 分公司)                  (福建移动, 佛山联通, 山东烟台联通)
- place + 公司/分公司 in a group's own report    (福建公司 in a 中国移动 report)
- branch + place + 分公司                        (江西公司新余分公司: a sub-branch)

Names follow GUIDELINES.md: 中国移动X公司, 中国联通X分公司, 中国电信X公司,
with the other forms as aliases. The place inside the name stays a place
mention of its own (the branch is located there).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.lexicon import Group, alternation, group_by_name, load_json, publisher_group
from kg.model import Mention

#: place levels a branch can be named after (not countries or natural areas)
BRANCH_LEVELS = {"province", "prefecture", "county", None}

#: the word lists of data/branch_words.json (read once, at import)
_WORDS = load_json("branch_words.json")
_GROUP_WORDS = sorted({n for n in group_by_name() if len(n) >= 2}, key=len, reverse=True)
_AFTER = re.compile(
    r"(?P<word>" + "|".join(re.escape(g.short) for g in {*group_by_name().values()}) + r")?"
    rf"(?P<kind>{alternation(_WORDS['branch_kinds'])})?"
)
#: words that follow 移动/联通/电信 when those are not a group name (移动互联网)
_NOT_GROUP_CONTINUATION = re.compile(rf"^({alternation(_WORDS['not_group_continuations'])})")


def _place_full(place: Mention) -> str:
    """The official form of a place (福建省) from its aliases, else the canonical."""
    names = [place.canonical, *place.aliases]
    return max(names, key=len)


def _prefix_group(text: str, start: int) -> tuple[Group | None, int]:
    """A group name ending right before ``start``: ``(group, its start)``."""
    for name in _GROUP_WORDS:
        s = start - len(name)
        if s >= 0 and text[s:start] == name:
            return group_by_name()[name], s
    return None, start


class BranchFinder:
    """Find branch mentions around the place mentions of a ``Doc``."""

    def match(self, doc: Doc) -> list[Mention]:
        """Find branches; pure: reads the text and the PLACE mentions.

        Args:
            doc: A ``Doc`` whose ``kg_mentions`` hold the place mentions.

        Returns:
            New SUBSIDIARY mentions.
        """
        text = doc_text(doc)
        publisher = publisher_group((doc._.kg_meta or {}).get("publisher"))
        places = sorted(
            (m for m in mentions(doc) if m.label == "PLACE" and m.attrs.get("place_level") in BRANCH_LEVELS),
            key=lambda m: m.start,
        )
        by_start = {p.start: p for p in places}
        found: list[Mention] = []
        taken_until = -1
        for place in places:
            if place.start < taken_until:
                continue
            branch = self._branch_at(text, place, publisher, by_start)
            if branch is None:
                continue
            found.append(branch)
            taken_until = branch.end
            sub = self._sub_branch(text, branch, by_start)
            if sub is not None:
                found.append(sub)
                taken_until = sub.end
        return found

    def _branch_at(
        self, text: str, place: Mention, publisher: Group | None, by_start: dict[int, Mention]
    ) -> Mention | None:
        after = _AFTER.match(text, place.end)
        word, kind = after.group("word"), after.group("kind")
        if word and _NOT_GROUP_CONTINUATION.match(text[after.start("word") + len(word) :]):
            word, kind = None, None
            after = None
        group, start = _prefix_group(text, place.start)
        # 山东烟台联通: a province right before the city belongs to the name
        outer = None
        if group is None:
            for p in by_start.values():
                if p.end == place.start and p is not place:
                    outer = p
            if outer is not None:
                group, gstart = _prefix_group(text, outer.start)
                start = gstart if group else outer.start
        if word:
            group = group_by_name()[word] if group is None or group.short != word else group
        elif not kind:
            return None
        elif group is None:
            group = publisher
        if group is None or after is None:
            return None
        end = after.end()
        if kind is None and not word:
            return None
        short, full = place.canonical, _place_full(place)
        canonical, aliases = group.branch_names(short, full)
        surface = text[start:end]
        extra = [surface]
        if outer is not None:
            extra.append(text[outer.start : end])
        aliases = tuple(dict.fromkeys(a for a in (*extra, *aliases) if a != canonical))
        return Mention(
            start=start,
            end=end,
            label="SUBSIDIARY",
            canonical=canonical,
            surface=surface,
            aliases=aliases,
            attrs={"group": group.canonical, "place": place.canonical, "source": "branch"},
        )

    def _sub_branch(self, text: str, branch: Mention, by_start: dict[int, Mention]) -> Mention | None:
        place = by_start.get(branch.end)
        if place is None:
            return None
        m = re.compile(r"(分公司|公司)").match(text, place.end)
        if m is None:
            return None
        if place.canonical == branch.attrs["place"]:
            return None  # 北京联通北京市分公司: the branch names its own city, not a sub-branch
        group = group_by_name()[branch.attrs["group"]]
        surface = text[branch.start : m.end()]
        short = place.canonical
        own, own_aliases = group.branch_names(short, _place_full(place))
        canonical = f"{branch.canonical}{short}分公司"
        aliases = (
            surface,
            f"{branch.surface}{short}分公司",
            f"{short}分公司",
            f"{short}{group.short}",
            f"{group.canonical}{short}分公司",
            own,
        )
        return Mention(
            start=branch.start,
            end=m.end(),
            label="SUBSIDIARY",
            canonical=canonical,
            surface=surface,
            aliases=tuple(dict.fromkeys(a for a in aliases if a != canonical)),
            attrs={
                "group": group.canonical,
                "place": short,
                "parent_branch": branch.canonical,
                "source": "sub_branch",
            },
        )

    def set_annotations(self, doc: Doc, found: list[Mention]) -> None:
        """Append ``found`` to the mentions of ``doc``."""
        mentions(doc).extend(found)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


@Language.factory("kg_branches", assigns=["doc._.kg_mentions"], requires=["doc._.kg_mentions"])
def make_branches(nlp: Language, name: str) -> BranchFinder:
    """spaCy factory of :class:`BranchFinder`."""
    return BranchFinder()
