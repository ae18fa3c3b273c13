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
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.lexicon import group_by_name, groups, jieba_tags, load_json, publisher_group
from extractors.names import Tokens, book_title_spans, load_words
from kg.model import Mention
from kg.textunits import HAN, HAN_RE

_NAME_CHAR = re.compile(rf"[{HAN}A-Za-z0-9（）()·&\-]")
#: longest item of a 、-list (see ``_lists``): a character, eleven more and a bracketed gloss of eight
_LIST_ITEM_CHARS = 1 + 11 + 10
_PAREN_ABBR = re.compile(r"[（(]([A-Za-z][A-Za-z0-9&\-]{1,11})[）)]")


@functools.cache
def _lexicon() -> dict:
    lex = load_json("org_lexicon.json")
    return {
        "suffixes": sorted(lex["suffixes"], key=len, reverse=True),
        "suffix_tuple": tuple(lex["suffixes"]),
        "long_suffixes": tuple(s for s in lex["suffixes"] if len(s) >= 2),
        "weak": set(lex["weak_suffixes"]),
        "stop": set(lex["stop_tokens"]),
        "generic": set(lex["generic_cores"]),
        "internal": tuple(lex["internal_bodies"]),
        "name_pos": set(lex["name_pos"]),
        "proper_pos": set(lex["proper_pos"]),
        "lead_strip": tuple(sorted(lex["lead_strip"], key=len, reverse=True)),
        "unit_facilities": tuple(lex["unit_facilities"]),
        "unit_breaks": tuple(lex["unit_breaks"]),
        "national": tuple(lex["national_prefixes"]),
        "gov_chars": lex["gov_suffix_chars"],
        "founding": tuple(sorted(lex["founding_verbs"], key=len, reverse=True)),
        "founded": tuple(lex["founded_suffixes"]),
        "kind_after": tuple(lex["kind_after"]),
        "award_words": tuple(lex["award_words"]),
        "online": tuple(lex["unit_online_words"]),
        "facilities": tuple(lex["facility_suffixes"]),
        "function_chars": lex["function_chars"],
        "verbal_pos": set(lex["verbal_pos"]),
        "levels": tuple(sorted(lex["level_words"], key=len, reverse=True)),
        "gov_after_place": tuple(lex["government_after_place"]),
        "nt_field_heads": tuple(lex["nt_field_heads"]),
        "kind_modifiers": tuple(lex["kind_modifiers"]),
        "kind_determiners": tuple(lex["kind_determiners"]),
        "list_kind_chars": lex["list_kind_chars"],
    }


def _jieba_words() -> dict[str, str]:
    """jieba's dictionary: word -> POS tag."""
    return jieba_tags()


_PROPER_PARTS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "eng"})
_LEADING_JUNK = re.compile(rf"^[^{HAN}A-Za-z0-9（(]+")


def _is_han(word: str) -> bool:
    return bool(word) and all(HAN_RE.match(c) for c in word)


def _suffix_inside_word(word: str, suffix: str | None) -> bool:
    """Whether a one-character suffix ends a common word instead (新格局, 中西部, 老干部).

    The suffix is real when the part before it is a word of its own (公安部,
    科技部) and the last two characters are not a direction word (西部).
    """
    if suffix is None or len(suffix) != 1 or len(word) < 3:
        return False
    words = _jieba_words()
    tail = words.get(word[-2:])
    return tail is not None and tail not in ("nt", "j") and (word[:-1] not in words or tail == "f")


def _common_compound(word: str) -> bool:
    """Whether ``word`` splits into two common dictionary words and no proper one (国家队, 音乐会)."""
    words = _jieba_words()
    split = False
    for i in range(1, len(word)):
        a, b = word[:i], word[i:]
        pa, pb = words.get(a), words.get(b)
        if (pa or len(a) == 1) and (pb or len(b) == 1):
            if pa in _PROPER_PARTS or pb in _PROPER_PARTS:
                return False
            split = True
    return split


@functools.cache
def _nt_names() -> frozenset[str]:
    """Organisation names of jieba's dictionary that name one body (not a kind of body).

    jieba tags kinds and events ``nt`` too (联合体, 音乐会, 国家队, 党组织,
    新格局); those are left out: words that are an organisation suffix
    themselves, internal bodies, one-character suffixes that end a common word,
    and compounds of two common words without a suffix (or after a verb:
    联合政府).
    """
    lex = _lexicon()
    words = _jieba_words()
    names = set()
    for word, pos in words.items():
        if pos != "nt" or len(word) < 3 or not _is_han(word):
            continue
        if word in lex["suffixes"] or any(w in word for w in lex["internal"]):
            continue
        suffix = next((s for s in lex["suffixes"] if word.endswith(s) and len(word) > len(s)), None)
        core = word[: -len(suffix)] if suffix else None
        if core is not None and (core in lex["generic"] or core in {"人民", "国家", "中央"}):
            continue
        if _suffix_inside_word(word, suffix):
            continue
        if _common_compound(word) and (suffix is None or words.get(core) == "v"):
            continue
        if suffix is None and word.endswith(lex["nt_field_heads"]):
            continue  # 卫星通信, 城市交通, 中国馆: a field or a place of a kind, not a body
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
def _national_bodies() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """Pattern over every name of the central government bodies, and name -> (canonical, *aliases)."""
    names: dict[str, tuple[str, ...]] = {}
    for row in load_json("org_lexicon.json")["national_bodies"]:
        for n in row:
            names[n] = tuple(row)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern, names


@functools.cache
def _prefixes() -> tuple[str, ...]:
    """Words that start a unit name of a group (中国移动, 中移, 联通), longest first."""
    return tuple(
        sorted({p for g in groups() for p in (*g.branch_prefixes, g.canonical)}, key=len, reverse=True)
    )


@functools.cache
def _prefix_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, _prefixes())))


@functools.cache
def _unit_pattern() -> re.Pattern:
    suffixes = "|".join(sorted(map(re.escape, _lexicon_unit_suffixes()), key=len, reverse=True))
    return re.compile(
        "(?P<group>" + "|".join(re.escape(p) for p in _prefixes()) + ")"
        rf"(?P<name>[{HAN}A-Za-z（）()]{{0,10}}?)(?P<suffix>" + suffixes + ")"
    )


def _lexicon_unit_suffixes() -> list[str]:
    return load_json("org_lexicon.json")["unit_suffixes"]


@functools.cache
def _stem_pattern() -> re.Pattern | None:
    stems = sorted({s for g in groups() for s in g.unit_stems}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile("|".join(re.escape(s) for s in stems))


def _first_word(name: str) -> str:
    """First word of ``name`` as jieba cuts it (dictionary only)."""
    import jieba

    return jieba.lcut(name, HMM=False)[0]


def _stem_group(stem: str):
    return next(g for g in groups() if stem in g.unit_stems)


class OrganizationFinder:
    """Find organisation mentions (ORG, and group units as SUBSIDIARY)."""

    def __init__(self, use_jieba_nt: bool = True, max_name_chars: int = 18):
        self.use_jieba_nt = use_jieba_nt
        self.max_name_chars = max_name_chars

    _place_names: tuple[str, ...] = ()
    _titles: tuple[tuple[int, int], ...] = ()
    _text: str = ""

    def match(self, doc: Doc) -> list[Mention]:
        """Find organisations in ``doc``; pure.

        Args:
            doc: A tokenised ``Doc`` (earlier mentions are read, not changed).

        Returns:
            New ORG / SUBSIDIARY mentions, possibly overlapping each other;
            ``kg_overlaps`` picks among them.
        """
        text = self._text = doc_text(doc)
        self._place_names = tuple({m.surface for m in mentions(doc) if m.label == "PLACE"})
        self._titles = tuple(book_title_spans(text))
        units = self._units(text)
        national = self._national(text)
        spans = {(m.start, m.end) for m in national}
        found = self._groups(text) + units + self._stems(text, units) + national
        found += [m for m in self._suffix_names(doc) if (m.start, m.end) not in spans]
        if self.use_jieba_nt:
            found += [m for m in self._dictionary_names(doc) if (m.start, m.end) not in spans]
        found += self._lists(text, [*mentions(doc), *found])
        found += self._reporters(text) + self._award_givers(text)
        found += self._abbreviations(text, found)
        found = [m for m in found if m.attrs.get("source") == "group" or not self._in_title(m.start, m.end)]
        self._founded_units(doc, found)
        taken = [(m.start, m.end) for m in mentions(doc) if m.label in ("SUBSIDIARY", "ORG")]
        return [m for m in found if not any(s <= m.start and m.end <= e for s, e in taken)]

    def _in_title(self, start: int, end: int) -> bool:
        """Nothing inside a 《》 title is an organisation of the passage (《礼记·大学》)."""
        return any(s < start and end <= e for s, e in self._titles)

    @staticmethod
    def _national(text: str) -> list[Mention]:
        """Central government bodies by full or short name (工业和信息化部, 工信部)."""
        pattern, names = _national_bodies()
        not_after = load_json("org_lexicon.json")["national_not_after"]
        out = []
        for m in pattern.finditer(text):
            nxt = text[m.end() : m.end() + 1]
            if nxt and nxt in not_after:
                continue  # 公安部门, 外交部长: a kind of office or a title
            canonical, *aliases = names[m.group()]
            out.append(
                Mention(
                    m.start(), m.end(), "ORG", canonical, m.group(), tuple(aliases), {"source": "national"}
                )
            )
        return out

    def _groups(self, text: str) -> list[Mention]:
        out = []
        for m in _group_pattern().finditer(text):
            g = group_by_name()[m.group()]
            out.append(
                Mention(m.start(), m.end(), "ORG", g.canonical, m.group(), g.aliases, {"source": "group"})
            )
        return out

    def _units(self, text: str) -> list[Mention]:
        lex = _lexicon()
        out = []
        for m in _unit_pattern().finditer(text):
            group = group_by_name()[m.group("group")]
            whole = m.group()
            if whole in group.names() or whole in group.aliases:
                continue
            name, suffix = m.group("name"), m.group("suffix")
            if name in ("集团", "通信集团") and suffix == "有限公司":
                continue  # 中国移动通信集团有限公司 is the group itself
            if any(b in name for b in lex["unit_breaks"]) or whole.endswith(lex["unit_facilities"]):
                continue  # 中移铁通总部及北京分公司: two names; 绿色数据中心: a facility
            if not suffix.endswith("公司") and any(w in name for w in lex["online"]):
                continue  # 中国移动网上人才发展中心: an online service, not a unit
            if name and _first_word(name) in lex["stop"]:
                continue  # 中国联通依托支付公司账户: a verb, not a unit name
            if not name and suffix == "公司" or name == "集团" or name.startswith(("各", "多")):
                continue  # 联通公司, 联通集团公司: the group itself; 中国电信各省分公司: a kind
            if self._clause(name, lex):
                continue  # 中国联通始终坚持以人民为中心: a clause that ends in 中心
            out.append(
                self._unit_mention(m.start(), m.end(), whole, m.group("group"), group, name, suffix, "unit")
            )
        return out

    @staticmethod
    def _clause(name: str, lex: dict) -> bool:
        """Whether a unit name is a clause: an adverb or particle, or two verbs (深刻认识推进)."""
        import jieba

        words = _jieba_words()
        parts = [w for w in jieba.lcut(name, HMM=False) if len(w) >= 2]
        if any(words.get(w) in lex["verbal_pos"] for w in parts):
            return True
        return sum(1 for w in parts if words.get(w) == "v") >= 2

    @staticmethod
    def _unit_mention(
        start: int, end: int, whole: str, prefix: str, group, name: str, suffix: str, source: str
    ) -> Mention:
        """A SUBSIDIARY named ``prefix`` + ``name`` + ``suffix`` (联通华盛通信有限公司)."""
        aliases = []
        plain = re.sub(r"[（(]([^（）()]*)[）)]", r"\1", name)
        bare = (plain if name.startswith(("（", "(")) else name) + suffix
        if name:
            aliases += [bare, f"{group.canonical}{bare}"]
            short = min((p for p in group.branch_prefixes if len(p) <= 2), key=len, default=None)
            lead = re.match(r"[（(]([^（）()]+)[）)]", name)
            stem = lead.group(1) if lead else plain.removeprefix("集团")
            company = suffix.endswith("公司")
            if company and short and stem and len(stem) <= 4:
                aliases.append(f"{short}{stem}")  # 联通国际, 联通欧洲
            if company and stem and stem not in _jieba_words() and len(stem) >= 2 and _is_han(stem):
                aliases.append(stem)  # 咪咕
        if plain != name:
            aliases.append(f"{prefix}{plain}{suffix}")
        if suffix == "有限公司" and name:
            aliases.append(f"{prefix}{name}公司")
            aliases.append(
                f"{prefix}{plain.removeprefix('集团')}公司"
            )  # 联通集团财务有限公司 -> 联通财务公司
        if name.startswith("集团"):
            aliases.append(f"{group.canonical}{plain.removeprefix('集团')}{suffix}")
        return Mention(
            start,
            end,
            "SUBSIDIARY",
            whole,
            whole,
            tuple(a for a in dict.fromkeys(aliases) if a != whole),
            {"group": group.canonical, "source": source},
        )

    def _stems(self, text: str, units: list[Mention]) -> list[Mention]:
        """Well-known subsidiaries named by their stem alone (咪咕, 中移铁通总部)."""
        pattern = _stem_pattern()
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(text):
            after = text[m.end() : m.end() + 2]
            if (
                after
                and _NAME_CHAR.match(after[0])
                and not after.startswith(("总部", "公司", "员工", "党委"))
            ):
                continue  # 咪咕阅读: a product of the unit, not the unit
            if any(u.start <= m.start() and m.end() <= u.end for u in units):
                continue  # 中国移动咪咕公司: the unit's name already carries it
            stem = m.group()
            group = _stem_group(stem)
            if stem.startswith(_prefixes()):
                aliases = (f"{stem}公司", f"{stem}有限公司")
            else:
                aliases = (f"{stem}公司", f"{group.canonical}{stem}公司")
            attrs = {"group": group.canonical, "source": "stem"}
            out.append(Mention(m.start(), m.end(), "SUBSIDIARY", stem, stem, aliases, attrs))
        return out

    def _suffix_names(self, doc: Doc) -> list[Mention]:
        lex = _lexicon()
        text = doc_text(doc)
        out = []
        tokens = Tokens.of_doc(doc)
        for i, (end, word) in enumerate(zip(tokens.ends, tokens.texts, strict=True)):
            if not word.endswith(lex["suffix_tuple"]):  # one C-level test before the per-suffix search
                continue
            suffix = next((s for s in lex["suffixes"] if word.endswith(s)), None)
            if suffix is None or not self._suffix_token(word, suffix, lex):
                continue
            start = self._left_edge(doc, i, lex)
            if start is None or end - start > self.max_name_chars:
                continue
            for lead in lex["lead_strip"]:
                if text.startswith(lead, start) and end - start - len(lead) > len(suffix) + 1:
                    start += len(lead)
                    break
            start = self._tidy_start(doc, start, end)
            if start is None:
                continue
            name = text[start:end]
            if self._continues(text, end, word):
                continue  # 广州大学城 is a place
            if text.startswith(lex["long_suffixes"], end):
                continue  # 中国上市公司协会: the name goes on
            if name.startswith(_prefixes()) and _unit_pattern().fullmatch(name):
                continue  # group units are read by _units
            core = name[: -len(suffix)]
            if not core or any(w in name for w in lex["internal"]):
                continue
            if not self._named(core, name, suffix, lex) or not self._proper(doc, start, end, lex):
                continue
            if self._kind_or_fragment(doc, start, end, suffix, lex):
                continue
            out.append(Mention(start, end, "ORG", name, name, (), {"source": "suffix"}))
        return out

    def _kind_or_fragment(self, doc: Doc, start: int, end: int, suffix: str, lex: dict) -> bool:
        """Whether a suffix name is a facility, a kind, a branch or a department, not one body.

        ``绿色数据中心`` and ``营业厅`` are facilities; ``某大型零售公司``,
        ``县人民医院``, ``美国半导体公司``, ``5G智慧医院`` and ``数字政府`` are kinds;
        ``辽宁分公司`` is a branch (read by ``kg_branches``); ``联通市场部`` is
        a department of a group.
        """
        name = self._text[start:end]
        core = name[: -len(suffix)]
        span = doc.char_span(start, end, alignment_mode="expand")
        tokens = [t.text for t in span] if span is not None else [name]
        if name.endswith(lex["facilities"]) or "某" in name or core in group_by_name():
            return True  # 联通公司 is the group itself
        if name.startswith(("集团", "公司")) and name.endswith("公司"):
            return True  # 集团股份有限公司: the tail of a name cut by a verb (一汽解放集团…)
        if name.endswith(("分公司", "子公司")) or re.search(r"分[（(]子[）)]", name):
            return True  # a branch; a branch of a telecom group is a SUBSIDIARY, read elsewhere
        if any(m.label == "SUBSIDIARY" and m.end == end and m.start >= start for m in mentions(doc)):
            return True  # 教育大会山西分公司: a heading glued to a branch
        if tokens[0] in lex["levels"] and not self._place_at(start):
            return True  # 省国资委, 县人民医院: one of a level of bodies
        if name.startswith(_prefixes()) and (name[-1] in lex["gov_chars"] or name.endswith("处")):
            return True  # 联通市场部, 中国联通数字化部: a department of a group
        if "事业部" in name:
            return True
        if suffix == "政府":
            return not self._government_of_place(core, lex)
        rest = self._after_place(start, start + len(core))
        if suffix == "公司" and rest is not None:
            # 中国公司, 美国半导体公司: a place and common words describe a kind
            rest_span = doc.char_span(
                end - len(suffix) - len(rest), end - len(suffix), alignment_mode="expand"
            )
            if not rest or not any(
                self._strict_proper(t.text, lex) or _jieba_words().get(t.text) is None
                for t in (rest_span or ())
            ):
                return True
        core_tokens = tokens[:-1] if tokens and tokens[-1].endswith(suffix) and tokens[-1] != name else tokens
        kindly = bool(core_tokens) and (
            core_tokens[-1] in lex["kind_modifiers"] or core_tokens[0] in lex["kind_determiners"]
        )
        bare_centre = next(s for s in lex["suffixes"] if name.endswith(s)) == "中心"
        if (bare_centre and not name.startswith("集团")) or kindly:
            # 健康宣贯中心, 5G创新中心: a 中心 (or a kind: 智慧医院) needs a real name in front
            return not any(self._strict_proper(t, lex) for t in core_tokens)
        return False

    def _place_at(self, start: int) -> bool:
        """Whether a known place starts at ``start`` (省 of 省国资委 is not one)."""
        return any(self._text.startswith(p, start) and len(p) >= 2 for p in self._place_names)

    def _after_place(self, start: int, end: int) -> str | None:
        """What follows the longest place that starts the name, or ``None`` without one."""
        text = self._text[start:end]
        places = [p for p in self._place_names if len(p) >= 2 and text.startswith(p)]
        if not places:
            k = next((k for k in (3, 2) if _jieba_words().get(text[:k]) == "ns"), None)
            return text[k:] if k else None
        return text[len(max(places, key=len)) :]

    def _government_of_place(self, core: str, lex: dict) -> bool:
        """日本政府, 义乌市政府, 美国联邦政府 name a government; 数字政府, 地方政府 do not."""
        if _jieba_words().get(core) in ("nr", "nrt", "nrfg"):
            return True  # 拜登政府
        rest, named = core, False
        while rest:
            places = [p for p in self._place_names if len(p) >= 2 and rest.startswith(p)]
            k = max(map(len, places), default=0) or next(
                (k for k in (3, 2) if _jieba_words().get(rest[:k]) == "ns"), 0
            )
            if not k:
                k = next(
                    (
                        len(w)
                        for w in sorted(lex["gov_after_place"], key=len, reverse=True)
                        if named and rest.startswith(w)
                    ),
                    0,
                )
            if not k:
                return False
            rest, named = rest[k:], True
        return named

    def _strict_proper(self, word: str, lex: dict) -> bool:
        """A word that names: a place, a person, a dictionary name, or a Latin name that is no technology."""
        if re.fullmatch(r"[A-Za-z0-9&\-]*[A-Za-z][A-Za-z0-9&\-]*", word):
            return word not in load_words("platform_tech_words.txt") and not re.fullmatch(
                r"\d*[A-Z]{1,2}\d*", word
            )
        pos = _jieba_words().get(word)
        return (
            pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j")
            or word in self._place_names
            or word in lex["national"]
        )

    def _tidy_start(self, doc: Doc, start: int, end: int) -> int | None:
        """Move a name's start off bullets and brackets, and onto a group word inside it.

        ``-中国联通国际公司`` starts after the dash; ``(集团新闻宣传中心`` after the
        unmatched bracket; ``乡村振兴（重庆）数字产业研究院`` takes back the words
        before its bracketed place; ``内容体验案例中国移动咪咕公司`` starts at the
        group word.
        """
        text = self._text
        junk = _LEADING_JUNK.match(text, start, end)
        if junk:
            start = junk.end()
        if start < end and text[start] in "（(":
            close = re.compile(r"[）)]").search(text, start, end)
            if close is None:
                start += 1
            else:
                start = self._words_before(doc, start)
        inner = _prefix_pattern().search(text, start + 1, end)
        if inner and inner.start() > start and not any(text.startswith(p, start) for p in _prefixes()):
            start = inner.start()
        national = re.compile("中国|中华人民共和国").search(text, start + 1, end - 2)
        if (
            national
            and text[national.start() - 1] not in "（("
            and not self._place_before(doc, national.start(), start)
        ):
            start = national.start()  # 委员会中国信息通信研究院: the name starts at 中国
        return start if start < end else None

    def _place_before(self, doc: Doc, at: int, start: int) -> bool:
        """Whether the words in ``[start, at)`` end in a place (浙江中国小商品城) or a proper name."""
        before = self._text[start:at]
        if before.endswith(self._place_names) or before.endswith(("中国", "国家")):
            return True
        span = doc.char_span(start, at, alignment_mode="expand")
        last = span[-1].text if span is not None and len(span) else ""
        return _jieba_words().get(last) in ("ns", "nr", "nt", "nz", "j")

    @staticmethod
    def _words_before(doc: Doc, start: int) -> int:
        """Start of up to two name words right before ``start`` (乡村振兴 before （重庆）)."""
        lex = _lexicon()
        for _ in range(2):
            span = doc.char_span(start - 1, start, alignment_mode="expand") if start else None
            t = span[0] if span is not None and len(span) else None
            if t is not None and t.idx + len(t.text) != start:
                t = None
            if t is None or t.text in lex["stop"] or not _is_han(t.text):
                break
            start = t.idx
        return start

    @staticmethod
    def _continues(text: str, end: int, word: str) -> bool:
        """Whether the name's last characters and the next ones form a longer word (大学城, 华强北)."""
        words = _jieba_words()
        nxt = text[end : end + 3]
        if not nxt or not _is_han(nxt[0]):
            return False
        for k in (1, 2):
            combo = word[-2:] + nxt[:k]
            rest = nxt[k:]
            if (
                len(nxt) >= k
                and words.get(combo) in ("n", "ns", "s", "f")
                and (len(rest) <= 1 or not _is_han(rest[:2]))
            ):
                return True
        after = _lexicon()["kind_after"]
        return text.startswith(after, end)  # 联合政府部门: a modifier of a kind

    @staticmethod
    def _suffix_token(word: str, suffix: str, lex: dict) -> bool:
        """Whether a token ending in ``suffix`` can end a name (not 签署, 布局, 内部)."""
        if word == suffix:
            return True
        if _suffix_inside_word(word, suffix):
            return False
        pos = _jieba_words().get(word)
        head = _jieba_words().get(word[: -len(suffix)])
        if suffix in ("公司", "集团") and pos in ("n", "nt") and head not in (None, *lex["proper_pos"]):
            return False  # 跨国公司, 上市公司, 分公司: a kind of company
        if pos is None or pos in ("nt", "j"):
            return True
        if suffix in lex["weak"] and len(suffix) == 1:
            return pos == "n" and len(word) >= 3
        return pos.startswith("n") or pos in ("j", "l")

    @staticmethod
    def _government(name: str, lex: dict) -> bool:
        """A government body that is one of its kind: 国家药监局, 工业和信息化部, 公安部."""
        if name[-1] not in lex["gov_chars"] and not name.endswith(("委员会", "办公室", "总局")):
            return False
        if name.startswith(lex["national"]) or "和" in name:
            return True
        core = name[:-1]
        return name[-1] == "部" and core in _jieba_words() and core not in lex["generic"] and len(core) >= 2

    def _proper(self, doc: Doc, start: int, end: int, lex: dict) -> bool:
        """A name needs one proper token: a name, a place, or a word jieba does not know."""
        words = _jieba_words()
        whole = self._text[start:end]
        if words.get(whole) in ("nt", "j", "nz") or len(whole) > 9 or self._government(whole, lex):
            return True
        span = doc.char_span(start, end, alignment_mode="expand")
        for t in span if span is not None else ():
            pos = words.get(t.text)
            if pos is None or pos in lex["proper_pos"] or re.search(r"[A-Za-z]", t.text):
                if t.text not in lex["suffixes"] and not t.like_num:
                    return True
        return any(m.label == "PLACE" and start <= m.start < end for m in (doc._.kg_mentions or []))

    def _left_edge(self, doc: Doc, i: int, lex: dict) -> int | None:
        """Start of the name ending with token ``i``: walk left over name tokens."""
        start = doc[i].idx
        first = i
        whole = self._whole_name(doc[i].text)
        j = i - 1
        while j >= 0 and i - j <= 6:
            t = doc[j]
            if t.text == "和" and self._joins_government(doc, j, i, lex):
                start, first, j = doc[j - 1].idx, j - 1, j - 2
                continue
            if t.text in lex["stop"] or not all(_NAME_CHAR.match(c) for c in t.text) or t.text.isdigit():
                break
            if self._verbal(t.text, lex):
                if self._particle_then_name(t.text, lex) and t.idx + len(t.text) == start:
                    start, first = t.idx + 1, j  # 为莘庄小学: the particle goes, the name stays
                break  # 积极开展绿色数据中心, 毕马威华振对公司: a verb phrase or a particle
            if whole and (not self._proper_word(t.text, lex) or t.text.endswith(lex["suffix_tuple"])):
                break  # 上水平国资委: a full name takes only names before it (北京市人大常委会)
            if t.text.endswith(("公司", "总部")) and j < i:
                break  # 新余分公司充分利用公司: a company name ends a name, it does not start one
            pos = _jieba_words().get(t.text)
            if pos is not None and pos not in lex["name_pos"]:
                if pos in ("v", "vn") and self._latin_before(doc, j):
                    start, first = doc[j - 1].idx, j - 1  # 5G创新联合体: a Latin word names it
                break
            if t.idx + len(t.text) != start:  # whitespace between tokens ends a name
                break
            start = t.idx
            first = j
            j -= 1
        # a name cannot start with a number or a measure word (国家 and 中央 do start names)
        while (
            first < i
            and (doc[first].like_num or doc[first].text in lex["generic"])
            and not (
                doc[first].text in lex["national"] and (first + 1 < i or doc[i].text not in lex["suffixes"])
            )
        ):
            first += 1
            start = doc[first].idx
        if first == i and doc[i].text in lex["suffixes"]:
            return None
        return start

    @staticmethod
    def _whole_name(word: str) -> bool:
        """Whether a token is an organisation's full name by itself (国资委, 美国商务部)."""
        return len(word) >= 3 and (word in _nt_names() or word in _national_bodies()[1])

    def _proper_word(self, word: str, lex: dict) -> bool:
        """A word that can stand before a full name: a place, a name, or 国家/国务院."""
        pos = _jieba_words().get(word)
        return (
            pos in lex["proper_pos"]
            or word in self._place_names
            or word in lex["national"]
            or re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word) is not None
        )

    @staticmethod
    def _particle_then_name(word: str, lex: dict) -> bool:
        """An unknown token that is a particle glued to a name (为莘庄, jieba's HMM)."""
        return (
            len(word) >= 3
            and _jieba_words().get(word) is None
            and word[0] in lex["function_chars"]
            and word[-1] not in lex["function_chars"]
        )

    @staticmethod
    def _verbal(word: str, lex: dict) -> bool:
        """Whether a token left of a suffix ends the name instead of belonging to it.

        jieba keeps verb phrases whole (积极开展/l, 积极响应/n, 紧紧围绕/l) and
        its HMM glues particles to a neighbour (华振对, 下向, 常在, 至县);
        enumerators (一是, 两大) count, they do not name.
        """
        if re.fullmatch(r"[一二三四五六七八九十两\d]+[是大]", word):
            return True
        pos = _jieba_words().get(word)
        if pos is None:
            return (
                len(word) >= 2
                and _is_han(word)
                and (word[0] in lex["function_chars"] or word[-1] in lex["function_chars"])
            )
        if len(word) < 4:
            return False
        first, second = _jieba_words().get(word[:2]), _jieba_words().get(word[2:])
        if pos in ("l", "i"):
            return bool({first, second} & {"v", "d", "ad", "p", "c"})
        return pos in ("n", "vn") and first in ("d", "ad") and second == "v"

    @staticmethod
    def _latin_before(doc: Doc, j: int) -> bool:
        """Whether a Latin word (5G, AI) sits right before token ``j``."""
        if j < 1:
            return False
        t = doc[j - 1]
        return (
            t.idx + len(t.text) == doc[j].idx
            and re.fullmatch(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", t.text) is not None
        )

    @staticmethod
    def _joins_government(doc: Doc, j: int, i: int, lex: dict) -> bool:
        """和 inside a ministry name (工业和信息化部, 国家发展和改革委员会)."""
        if (
            j < 1
            or doc[i].text[-1] not in lex["gov_chars"]
            and not doc[i].text.endswith(("委员会", "办公室"))
        ):
            return False
        left = doc[j - 1]
        if len(left.text) != 2 or _jieba_words().get(left.text) not in ("n", "vn"):
            return False
        before = doc[j - 2] if j >= 2 else None
        return (
            before is None
            or not _is_han(before.text)
            or before.text in lex["stop"]
            or before.text in lex["national"]
            or _jieba_words().get(before.text) == "ns"
        )

    def _named(self, core: str, name: str, suffix: str, lex: dict) -> bool:
        """Whether ``core`` + ``suffix`` names one organisation rather than a kind."""
        if core in lex["generic"] or re.fullmatch(r"[\d,.%余多个家所]+", core):
            return False
        if len(core) < 2 and name not in _jieba_words():
            return False
        if suffix in lex["weak"]:
            words = _jieba_words()
            pos = words.get(name)
            evidence = (
                pos in ("nt", "j", "nz")
                or (pos == "n" and len(name) >= 3 and suffix in ("部", "委", "局", "办"))
                or core.startswith(("国家", "国务院", "中央", "中共", "中国", "全国"))
                or "和" in core
                or len(core) >= 4
                and suffix in ("委员会", "中心", "集团", "公司", "部", "局")
                or (len(name) == 3 and pos is None and suffix in ("部", "委", "办", "局"))
                or core.startswith(self._place_names)
                or words.get(core) in ("nr", "nrt", "nrfg", "nz", "eng")
                or re.fullmatch(r"[A-Za-z][A-Za-z0-9&\-]+", core) is not None
                or any(words.get(core[:k]) == "ns" for k in (2, 3))
                or words.get(name[-3:]) in ("j", "nt")
                and len(name) > 3
            )
            if not evidence:
                return False
        return True

    def _dictionary_names(self, doc: Doc) -> list[Mention]:
        names = _nt_names()
        text = doc_text(doc)
        out = []
        tokens = Tokens.of_doc(doc)
        for start, end, word in zip(tokens.starts, tokens.ends, tokens.texts, strict=True):
            if word not in names:
                continue
            if self._continues(text, end, word) or self._beside_places(doc, start):
                continue
            out.append(Mention(start, end, "ORG", word, word, (), {"source": "jieba_nt"}))
        return out

    def _beside_places(self, doc: Doc, start: int) -> bool:
        """A body listed with provinces (31个省（自治区、直辖市）和新疆生产建设兵团) is read as a place."""
        text = self._text
        if start < 2 or text[start - 1] not in "和、及与":
            return False
        kinds = load_json("org_lexicon.json")["list_place_kinds"]
        before = text[max(0, start - 12) : start - 1]
        if text[start - 2] in "）)" and any(k in before for k in kinds):
            return True
        return any(m.label == "PLACE" and m.end == start - 1 for m in (doc._.kg_mentions or []))

    def _founded_units(self, doc: Doc, found: list[Mention]) -> None:
        """Retype as SUBSIDIARY the publisher's own bodies found by their suffix.

        An institute the publisher opens (会上揭牌乡村振兴（重庆）数字产业研究院)
        is its unit, wherever else the passage names it; so is a body named
        with 集团 first in a group's report (集团新闻宣传中心).
        """
        lex = _lexicon()
        publisher = publisher_group((doc._.kg_meta or {}).get("publisher"))
        if publisher is None:
            return
        text = doc_text(doc)
        own: set[str] = set()
        for m in found:
            if m.label != "ORG" or m.attrs.get("source") != "suffix":
                continue
            if m.canonical.startswith("集团") and len(m.canonical) > 4 and not m.canonical.endswith("公司"):
                own.add(m.canonical)
                continue
            if not m.canonical.endswith(lex["founded"]):
                continue
            verb = next((v for v in lex["founding"] if text.endswith(v, 0, m.start)), None)
            if verb is None:
                continue
            window = text[max(0, m.start - len(verb) - 80) : m.start - len(verb)]
            if any(n in window for n in (*publisher.names(), "公司", "我们")):
                own.add(m.canonical)
        for m in found:
            if m.label == "ORG" and m.canonical in own:
                m.label = "SUBSIDIARY"
                full = f"{publisher.canonical}{m.canonical}"
                m.aliases = tuple(dict.fromkeys((*m.aliases, full)))
                m.attrs = {**m.attrs, "group": publisher.canonical, "source": "own_unit"}

    def _lists(self, text: str, known: list[Mention]) -> list[Mention]:
        """Items of 、-lists of organisations.

        An item is an organisation when the list ends in 等 + a kind of
        organisation (微软、谷歌等企业), or when most other items already are
        (国家网信办、工业和信息化部、公安部联合制定).
        """
        lex = load_json("org_lexicon.json")
        heads = "|".join(sorted(map(re.escape, lex["list_heads"]), key=len, reverse=True))
        # 等 closes a list, so it cannot be inside an item (of at most _LIST_ITEM_CHARS characters)
        item = rf"[{HAN}A-Za-z][^\W等_]{{0,11}}(?:[（(][^（）()]{{1,8}}[）)])?"
        pattern = re.compile(rf"(?:{item}、)+{item}(?P<tail>等(?:多家|众多|一批|知名)?(?:{heads}))?")
        orgs = {(m.start, m.end) for m in known if m.label in ("ORG", "SUBSIDIARY")}
        out = []
        for lm in self._list_matches(pattern, text):
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
            if not lm.group("tail"):
                # without 等…, most items must be organisations already (tested first: it is cheap)
                covered = sum(1 for a, b in spans if any(x <= a and b <= y for x, y in orgs))
                if covered < 2 or covered * 2 < len(spans):
                    continue
            named = sum(1 for a, b in spans if self._looks_named(text[a:b]))
            if named * 2 < len(spans):
                continue  # 包装和运输、废弃物管理…等企业生产: activities, not organisations
            if not lm.group("tail"):
                # without 等…, the last item runs into the clause: cut it after an organisation suffix
                a, b = spans[-1]
                cut = next(
                    (
                        a + i
                        for i in range(2, b - a + 1)
                        if text[a : a + i].endswith(_lexicon()["suffix_tuple"])
                    ),
                    None,
                )
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
                if not self._list_item_named(name):
                    continue
                out.append(Mention(a, a + len(name), "ORG", name, name, aliases, {"source": "list"}))
        return out

    @staticmethod
    def _list_matches(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
        """``pattern.finditer(text)`` for the list pattern of :meth:`_lists`, tried only near a 、.

        A list's first 、 ends its first item, so no list starts more than
        ``_LIST_ITEM_CHARS`` characters before the next 、: the regex need
        not be tried at every character of the text.
        """
        pos = 0
        while (sep := text.find("、", pos)) >= 0:
            lm = pattern.search(text, max(pos, sep - _LIST_ITEM_CHARS))
            if lm is None:
                return
            yield lm
            pos = lm.end()

    def _list_item_named(self, name: str) -> bool:
        """An item of a list of bodies is kept when it names one itself.

        The others (派出所, 行业龙头, 主题分享的还有来自华为) ride on the names
        beside them; a group's unit (中移香港) is read by the unit rules.
        """
        import jieba

        lex = _lexicon()
        words = _jieba_words()
        if name.startswith(_prefixes()) or name in lex["suffixes"] or name.endswith(lex["facilities"]):
            return False
        if words.get(name) in ("nt", "nz", "j", "nr", "eng") or re.search(r"[A-Za-z]", name):
            return True
        parts = jieba.lcut(name, HMM=False)
        if (
            any(words.get(w) in lex["verbal_pos"] for w in parts if len(w) > 1)
            or len(name) > 5
            and any(words.get(w) == "v" for w in parts)
        ):
            return False  # 主题分享的还有来自华为, 电信运营企业落实国家
        if name[-1] in lex["list_kind_chars"] and all(
            words.get(w) not in (None, *lex["proper_pos"]) for w in parts
        ):
            return False  # 派出所, 信访局, 大数据局: a kind of office in every town
        if name.endswith(("公司", "集团", "银行")):
            return True
        common = [w for w in parts if len(w) > 1]
        return len(common) < 2 or any(words.get(w) in (None, *lex["proper_pos"]) for w in parts)

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
            return len(parts) <= 2 and any(
                _jieba_words().get(p) in (None, *_lexicon()["proper_pos"]) for p in parts
            )
        return pos in _lexicon()["proper_pos"] or item.endswith(_lexicon()["suffix_tuple"])

    def _reporters(self, text: str) -> list[Mention]:
        """A Latin name that predicts or reports (IDC预测, ClearML调研显示)."""
        verbs = "|".join(load_json("org_lexicon.json")["reporting_verbs"])
        out = []
        for m in re.finditer(rf"(?<![A-Za-z0-9])([A-Z][A-Za-z]{{2,15}})(?=(?:{verbs}))", text):
            out.append(
                Mention(m.start(1), m.end(1), "ORG", m.group(1), m.group(1), (), {"source": "reporter"})
            )
        return out

    def _award_givers(self, text: str) -> list[Mention]:
        """A Latin acronym between a year or edition and an award gives it (2024年GSMA的…奖)."""
        awards = "|".join(map(re.escape, _lexicon()["award_words"]))
        pattern = re.compile(
            rf"(?:年|届)\s?([A-Z][A-Z0-9&]{{2,7}})(?![A-Za-z])(?=\s?的?[^，。；！？\n]{{0,24}}?(?:{awards}))"
        )
        tech = load_words("platform_tech_words.txt")
        out = []
        for m in pattern.finditer(text):
            if m.group(1) in tech:
                continue
            out.append(Mention(m.start(1), m.end(1), "ORG", m.group(1), m.group(1), (), {"source": "award"}))
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
    return Mention(
        start, end, "ORG", canonical, doc_text(doc)[start:end], aliases,
        {"source": "publisher"}, implicit=True
    )


@Language.factory(
    "kg_organizations",
    assigns=["doc._.kg_mentions"],
    default_config={"use_jieba_nt": True, "max_name_chars": 18},
)
def make_organizations(
    nlp: Language, name: str, use_jieba_nt: bool, max_name_chars: int
) -> OrganizationFinder:
    """spaCy factory of :class:`OrganizationFinder`."""
    return OrganizationFinder(use_jieba_nt=use_jieba_nt, max_name_chars=max_name_chars)
