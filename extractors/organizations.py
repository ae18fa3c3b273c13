"""Organisations: groups, government bodies, companies, schools, foundations.

Three sources, in order of trust:

1. the telecom groups of ``data/groups.json`` under any of their names, and
   their named units (中国移动研究院, 联通华盛通信有限公司: group word + name +
   unit suffix) as subsidiaries;
2. names ending in an organisation suffix (大学, 基金会, 委员会, 有限公司, ...)
   whose left edge is found on jieba token boundaries, stopping at verbs,
   prepositions and punctuation; weak suffixes (部, 局, 中心, ...) need more
   evidence (a dictionary word, a place or 国家/国务院 in front);
3. jieba's own dictionary of organisation names (POS ``nt``), which ships with
   the library, for names without a suffix (国资委, 青基会).

Unnamed organisations (当地政府, 3,000余个重要医院) are rejected: the part
before the suffix must not be made only of generic words.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from extractors import mentions
from extractors.lexicon import group_by_name, groups, load_json, publisher_group
from kg.model import Mention

_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·&\-]")
_PAREN_ABBR = re.compile(r"[（(]([A-Za-z][A-Za-z0-9&\-]{1,11})[）)]")
_UNIT_SUFFIX = "有限公司|公司|研究院|研究所|分公司|中心|基地|学院|基金会"


@functools.cache
def _lexicon() -> dict:
    lex = load_json("org_lexicon.json")
    return {
        "suffixes": sorted(lex["suffixes"], key=len, reverse=True),
        "weak": set(lex["weak_suffixes"]),
        "stop": set(lex["stop_tokens"]),
        "generic": set(lex["generic_cores"]),
        "internal": tuple(lex["internal_bodies"]),
        "name_pos": set(lex["name_pos"]),
        "proper_pos": set(lex["proper_pos"]),
        "lead_strip": tuple(sorted(lex["lead_strip"], key=len, reverse=True)),
    }


@functools.cache
def _jieba_words() -> dict[str, str]:
    """jieba's dictionary: word -> POS tag (the library ships it as dict.txt)."""
    out: dict[str, str] = {}
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = parts[2]
    return out


@functools.cache
def _nt_names() -> frozenset[str]:
    """Organisation names of jieba's dictionary that name one body (not a kind of body)."""
    lex = _lexicon()
    names = set()
    for word, pos in _jieba_words().items():
        if pos != "nt" or len(word) < 3 or not all("\u4e00" <= c <= "\u9fff" for c in word):
            continue
        core = _strip_suffix(word, lex["suffixes"])
        if core is not None and (core in lex["generic"] or core in {"人民", "国家", "中央"}):
            continue
        names.add(word)
    return frozenset(names)


def _strip_suffix(word: str, suffixes: list[str]) -> str | None:
    for s in suffixes:
        if word.endswith(s) and len(word) > len(s):
            return word[: -len(s)]
    return None


@functools.cache
def _group_pattern() -> re.Pattern:
    names = sorted({n for g in groups() for n in g.names()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


@functools.cache
def _unit_pattern() -> re.Pattern:
    prefixes = sorted({p for g in groups() for p in (*g.branch_prefixes, g.canonical)}, key=len, reverse=True)
    return re.compile(
        "(?P<group>" + "|".join(re.escape(p) for p in prefixes) + ")"
        r"(?P<name>[\u4e00-\u9fffA-Za-z（）()]{0,10}?)(?P<suffix>" + _UNIT_SUFFIX + ")"
    )


class OrganizationFinder:
    """Find organisation mentions (ORG, and group units as SUBSIDIARY)."""

    def __init__(self, use_jieba_nt: bool = True, max_name_chars: int = 18):
        self.use_jieba_nt = use_jieba_nt
        self.max_name_chars = max_name_chars

    _place_names: tuple[str, ...] = ()

    def match(self, doc: Doc) -> list[Mention]:
        """Find organisations in ``doc``; pure.

        Args:
            doc: A tokenised ``Doc`` (earlier mentions are read, not changed).

        Returns:
            New ORG / SUBSIDIARY mentions, possibly overlapping each other;
            ``kg_overlaps`` picks among them.
        """
        text = doc.text
        self._place_names = tuple({m.surface for m in mentions(doc) if m.label == "PLACE"})
        found = self._groups(text) + self._units(text) + self._suffix_names(doc)
        if self.use_jieba_nt:
            found += self._dictionary_names(doc)
        found += self._lists(text, [*mentions(doc), *found])
        found += self._reporters(text)
        found += self._abbreviations(text, found)
        taken = [(m.start, m.end) for m in mentions(doc) if m.label in ("SUBSIDIARY", "ORG")]
        return [m for m in found if not any(s <= m.start and m.end <= e for s, e in taken)]

    def _groups(self, text: str) -> list[Mention]:
        out = []
        for m in _group_pattern().finditer(text):
            g = group_by_name()[m.group()]
            out.append(
                Mention(m.start(), m.end(), "ORG", g.canonical, m.group(), g.aliases, {"source": "group"})
            )
        return out

    def _units(self, text: str) -> list[Mention]:
        out = []
        for m in _unit_pattern().finditer(text):
            group = group_by_name()[m.group("group")]
            whole = m.group()
            if whole in group.names() or whole in group.aliases:
                continue
            name, suffix = m.group("name"), m.group("suffix")
            if name.startswith(("集团", "通信集团")) and suffix == "有限公司" and len(name) <= 4:
                continue  # 中国移动通信集团有限公司 is the group itself
            canonical = whole
            aliases = []
            bare = name + suffix
            if name:
                aliases += [bare, f"{group.canonical}{bare}"]
            if suffix == "有限公司" and name:
                aliases.append(f"{m.group('group')}{name}公司")
            out.append(
                Mention(
                    m.start(), m.end(), "SUBSIDIARY", canonical, whole,
                    tuple(a for a in dict.fromkeys(aliases) if a != canonical),
                    {"group": group.canonical, "source": "unit"},
                )
            )
        return out

    def _suffix_names(self, doc: Doc) -> list[Mention]:
        lex = _lexicon()
        text = doc.text
        out = []
        for tok in doc:
            end = tok.idx + len(tok.text)
            word = tok.text
            suffix = next((s for s in lex["suffixes"] if word.endswith(s)), None)
            if suffix is None or not self._suffix_token(word, suffix, lex):
                continue
            start = self._left_edge(doc, tok.i, lex)
            if start is None or end - start > self.max_name_chars:
                continue
            for lead in lex["lead_strip"]:
                if text.startswith(lead, start) and end - start - len(lead) > len(suffix) + 1:
                    start += len(lead)
                    break
            name = text[start:end]
            core = name[: -len(suffix)]
            if not core or any(w in name for w in lex["internal"]):
                continue
            if not self._named(core, name, suffix, lex) or not self._proper(doc, start, end, lex):
                continue
            out.append(Mention(start, end, "ORG", name, name, (), {"source": "suffix"}))
        return out

    @staticmethod
    def _suffix_token(word: str, suffix: str, lex: dict) -> bool:
        """Whether a token ending in ``suffix`` can end a name (not 签署, 布局, 内部)."""
        if word == suffix:
            return True
        pos = _jieba_words().get(word)
        if pos is None or pos in ("nt", "j"):
            return True
        if suffix in lex["weak"] and len(suffix) == 1:
            return pos == "n" and len(word) >= 3
        return pos.startswith("n") or pos in ("j", "l")

    @staticmethod
    def _proper(doc: Doc, start: int, end: int, lex: dict) -> bool:
        """A name needs one proper token: a name, a place, or a word jieba does not know."""
        words = _jieba_words()
        whole = doc.text[start:end]
        if words.get(whole) in ("nt", "j", "nz") or len(whole) > 9:
            return True
        for t in doc:
            if t.idx >= end or t.idx + len(t.text) <= start:
                continue
            pos = words.get(t.text)
            if pos is None or pos in lex["proper_pos"] or re.search(r"[A-Za-z]", t.text):
                if t.text not in lex["suffixes"] and not t.like_num:
                    return True
        return any(
            m.label == "PLACE" and start <= m.start < end for m in (doc._.kg_mentions or [])
        )

    def _left_edge(self, doc: Doc, i: int, lex: dict) -> int | None:
        """Start of the name ending with token ``i``: walk left over name tokens."""
        start = doc[i].idx
        first = i
        j = i - 1
        while j >= 0 and i - j <= 6:
            t = doc[j]
            if t.text in lex["stop"] or not all(_NAME_CHAR.match(c) for c in t.text) or t.text.isdigit():
                break
            pos = _jieba_words().get(t.text)
            if pos is not None and pos not in lex["name_pos"]:
                break
            if t.idx + len(t.text) != start:  # whitespace between tokens ends a name
                break
            start = t.idx
            first = j
            j -= 1
        # a name cannot start with a number or a measure word
        while first < i and (doc[first].like_num or doc[first].text in lex["generic"]):
            first += 1
            start = doc[first].idx
        if first == i and doc[i].text in lex["suffixes"]:
            return None
        return start

    def _named(self, core: str, name: str, suffix: str, lex: dict) -> bool:
        """Whether ``core`` + ``suffix`` names one organisation rather than a kind."""
        if core in lex["generic"] or re.fullmatch(r"[\d,.%余多个家所]+", core):
            return False
        if len(core) < 2 and name not in _jieba_words():
            return False
        if suffix in lex["weak"]:
            pos = _jieba_words().get(name)
            evidence = (
                pos in ("nt", "j", "nz")
                or (pos == "n" and len(name) >= 3 and suffix in ("部", "委", "局", "办"))
                or core.startswith(("国家", "国务院", "中央", "中共", "中国", "全国"))
                or "和" in core
                or len(core) >= 4 and suffix in ("委员会", "中心", "集团", "公司", "部", "局")
                or (len(name) == 3 and pos is None and suffix in ("部", "委", "办", "局"))
                or core.startswith(self._place_names)
            )
            if not evidence:
                return False
        return True

    def _dictionary_names(self, doc: Doc) -> list[Mention]:
        names = _nt_names()
        out = []
        for tok in doc:
            if tok.text in names:
                out.append(Mention(tok.idx, tok.idx + len(tok.text), "ORG", tok.text, tok.text, (), {"source": "jieba_nt"}))
        return out

    def _lists(self, text: str, known: list[Mention]) -> list[Mention]:
        """Items of 、-lists of organisations.

        An item is an organisation when the list ends in 等 + a kind of
        organisation (微软、谷歌等企业), or when most other items already are
        (国家网信办、工业和信息化部、公安部联合制定).
        """
        lex = load_json("org_lexicon.json")
        heads = "|".join(sorted(map(re.escape, lex["list_heads"]), key=len, reverse=True))
        # 等 closes a list, so it cannot be inside an item
        item = r"[\u4e00-\u9fffA-Za-z][^\W等_]{0,11}(?:[（(][^（）()]{1,8}[）)])?"
        pattern = re.compile(rf"(?:{item}、)+{item}(?P<tail>等(?:多家|众多|一批|知名)?(?:{heads}))?")
        orgs = {(m.start, m.end) for m in known if m.label in ("ORG", "SUBSIDIARY")}
        out = []
        for lm in pattern.finditer(text):
            spans, pos = [], lm.start()
            body_end = lm.start("tail") if lm.group("tail") else lm.end()
            for part in text[lm.start() : body_end].split("、"):
                spans.append((pos, pos + len(part)))
                pos += len(part) + 1
            # the first item may carry words of the clause before it: keep its last name-like token
            s0, e0 = spans[0]
            for lead in _lexicon()["lead_strip"]:
                idx = text.rfind(lead, s0, e0)
                if idx >= 0 and e0 - (idx + len(lead)) >= 2:
                    s0 = idx + len(lead)
            spans[0] = (s0, e0)
            named = sum(1 for a, b in spans if self._looks_named(text[a:b]))
            if named * 2 < len(spans):
                continue  # 包装和运输、废弃物管理…等企业生产: activities, not organisations
            covered = sum(1 for a, b in spans if any(x <= a and b <= y for x, y in orgs))
            if not lm.group("tail"):
                if covered < 2 or covered * 2 < len(spans):
                    continue
                # without 等…, the last item runs into the clause: cut it after an organisation suffix
                a, b = spans[-1]
                cut = next((a + i for i in range(2, b - a + 1)
                            if any(text[a : a + i].endswith(sfx) for sfx in _lexicon()["suffixes"])), None)
                spans[-1] = (a, cut) if cut else (a, a)
            for a, b in spans:
                if any(x <= a and b <= y for x, y in orgs) or any(a < y and x < b for x, y in orgs):
                    continue
                name = text[a:b]
                paren = re.search(r"[（(]原?([^（）()]+)[）)]$", name)
                aliases: tuple[str, ...] = ()
                if paren:
                    aliases = (paren.group(1),)
                    name = name[: paren.start()]
                if len(name) < 2 or re.search(r"\d", name) or name in _lexicon()["generic"]:
                    continue
                out.append(Mention(a, a + len(name), "ORG", name, name, aliases, {"source": "list"}))
        return out

    @staticmethod
    def _looks_named(item: str) -> bool:
        """Whether a list item looks like a proper name rather than a common phrase."""
        item = re.sub(r"[（(][^（）()]*[）)]$", "", item)
        if re.search(r"[A-Za-z]", item):
            return True
        pos = _jieba_words().get(item)
        if pos is None:
            import jieba

            parts = jieba.lcut(item)
            return len(parts) <= 2 and any(_jieba_words().get(p) in (None, *_lexicon()["proper_pos"]) for p in parts)
        return pos in _lexicon()["proper_pos"] or item.endswith(tuple(_lexicon()["suffixes"]))

    def _reporters(self, text: str) -> list[Mention]:
        """A Latin name that predicts or reports (IDC预测, ClearML调研显示)."""
        verbs = "|".join(load_json("org_lexicon.json")["reporting_verbs"])
        out = []
        for m in re.finditer(rf"(?<![A-Za-z0-9])([A-Z][A-Za-z]{{2,15}})(?=(?:{verbs}))", text):
            out.append(Mention(m.start(1), m.end(1), "ORG", m.group(1), m.group(1), (), {"source": "reporter"}))
        return out

    def _abbreviations(self, text: str, found: list[Mention]) -> list[Mention]:
        """全球环境信息研究中心（CDP）: the Latin name in brackets is an alias."""
        for m in found:
            ab = _PAREN_ABBR.match(text, m.end)
            if ab:
                m.aliases = (*m.aliases, ab.group(1), text[m.start : ab.end()])
        return []

    def set_annotations(self, doc: Doc, found: list[Mention]) -> None:
        """Append ``found`` to the mentions of ``doc``."""
        mentions(doc).extend(found)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


def publisher_mention(doc: Doc, start: int, end: int) -> Mention | None:
    """A mention of the document's publisher at ``[start, end)`` (公司, 我们)."""
    group = publisher_group((doc._.kg_meta or {}).get("publisher"))
    publisher = (doc._.kg_meta or {}).get("publisher")
    if not publisher:
        return None
    aliases = group.aliases if group else ()
    canonical = group.canonical if group else publisher
    return Mention(start, end, "ORG", canonical, doc.text[start:end], aliases, {"source": "publisher"}, implicit=True)


@Language.factory(
    "kg_organizations",
    assigns=["doc._.kg_mentions"],
    default_config={"use_jieba_nt": True, "max_name_chars": 18},
)
def make_organizations(nlp: Language, name: str, use_jieba_nt: bool, max_name_chars: int) -> OrganizationFinder:
    """spaCy factory of :class:`OrganizationFinder`."""
    return OrganizationFinder(use_jieba_nt=use_jieba_nt, max_name_chars=max_name_chars)
