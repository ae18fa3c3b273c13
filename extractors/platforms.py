"""PLATFORM mentions: named digital platforms, systems, apps, services, brands.

Rules:

1. **Type-word names**: a noun phrase ending in a platform type word (平台, 系统,
   APP, 小程序, 网上营业厅, 热线, 大脑, 基座 … ``platform_suffixes.txt``), read
   leftwards like program names (依托渝益农平台 -> 渝益农平台). Weak type
   words (云, 热线, 服务, 应用) need a group or brand body (联通云), a hotline
   number (10086热线), a quote, or a body of three or more characters that is
   not generic (中宣部宣传云). Technology words and generic bodies
   (``platform_tech_words.txt``, ``program_generic.txt``) are dropped.
2. **Quoted names with a platform word**: 「联通碳生活」碳普惠应用, “沿黄入海”网络
   -> the quoted name, the longer form as an alias.
3. **Group + quote**: 联通“格物” -> 联通格物 (aliases 联通“格物”, 格物).
4. **Brand stems**: 咪咕阅读, 和家亲 (``platform_brand_stems.txt``).

Canonical names keep the group prefix (中国联通碳索管理平台); the name without
it is an alias when it is specific enough. A trailing app version (APP12.0) is
left out.
"""

from __future__ import annotations

import re

from spacy.language import Language

from extractors.lexicon import alternation, load_json
from extractors.names import (
    INNER_PREPOSITIONS,
    OPEN_QUOTES,
    Candidate,
    NameFinder,
    Quote,
    Tokens,
    base_name,
    canonical_form,
    group_prefix,
    has_han,
    has_proper_part,
    is_generic,
    jieba_pos,
    jieba_segmenter,
    junk_reason,
    load_rows,
    load_suffixes,
    load_words,
    names_a_thing,
    strip_ordinal,
    trim_edge,
    trim_start,
    whole_line,
)
from kg.groups import publisher_names
from kg.model import Mention
from kg.textunits import CLAUSE_END, HAN

LABEL = "PLATFORM"
#: the word lists of data/platform_cues.json (read once, at import)
_CUES = load_json("platform_cues.json")
#: the end of a list of products: 等九大行业平台, 等产品, 等系列应用
_LIST_CLOSE = re.compile(
    rf"等(?:[0-9两二三四五六七八九十百多]+[大个款项类种])?[{HAN}]{{0,4}}?(?:{alternation(_CUES['list_close_words'])})"
)
_CLAUSE_MARKS = CLAUSE_END + "\n"
#: a Latin brand word: OneCity, OnePower (at least three letters, mixed case or capitalised)
_LATIN_BRAND = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+|(?<![A-Za-z0-9])[A-Z][a-z]{2,}(?![A-Za-z])"
)
#: online venue: (group) 网上|线上|在线|掌上|云上 + name + venue word
_ONLINE_VENUE = re.compile(
    "(" + "|".join(publisher_names()) + rf")?({alternation(_CUES['online_words'])})([A-Za-z0-9{HAN}]{{1,8}}?)"
    rf"({alternation(_CUES['online_venues'])})"
)
#: moving to the cloud (流程上云) is no product
_TO_CLOUD = tuple(_CUES["to_cloud"])
#: an indefinite quantifier before a type-word phrase makes it a description
_INDEFINITE = re.compile(r"(?:一[个套款种批项]|多[个套款种]|各[个类种])$")
_QUOTE_TYPE_WORDS = tuple(_CUES["quote_type_words"])
_QUOTE_TYPE_HEAD = re.compile(rf"^([{HAN}]{{1,5}}?)({alternation(_CUES['quote_type_heads'])})")
_VERSION = re.compile(r"^\s*\d+(?:\.\d+)*")
#: after group + quote, words showing the quote names a strategy, model or title (中国移动“力量大厦”发展战略)
_NOT_PRODUCT_AFTER = re.compile(rf"^[{HAN}]{{0,4}}({alternation(_CUES['not_product_after'])})")
_COUNTED_KINDS = re.compile(
    r"(?:[0-9N]+|[一二两三四五六七八九十]+)[个大款类项朵级]"
    rf"|[一二两三四五六七八九十][{HAN}][一二两三四五六七八九十]"  # 两网一中台, 八金八银
)
#: words for a person: a 云 after them ends a person's name (教授王小云)
_PERSON_TITLES = frozenset(_CUES["person_titles"])
#: verbs that bring out a product of one's own: what follows them is named even when it describes
_LAUNCH_VERBS = tuple(_CUES["launch_verbs"])
#: what follows a brand stem in a program's name (咪咕善跑公益行项目)
_PROGRAM_AHEAD = re.compile(rf"^[{HAN}]{{0,8}}({alternation(_CUES['program_heads'])})")
#: dictionary tags of a word that a single-character type word (云) ends: a person or a place (王小云, 密云)
_NAME_TAGS = ("nr", "nrfg", "nrt", "ns")


class PlatformFinder(NameFinder):
    """Find PLATFORM mentions in a ``Doc`` (see module docstring for the rules).

    Args:
        suffixes: Data file of platform type words.
        stops: Data file of left-boundary stop words.
        generic: Data file of generic words.
        tech_words: Data file of technology words and generic things.
        right_block: Data file of words that cancel a type word after it.
        group_prefixes: Data file of group names used as prefixes.
        brand_stems: Data file of brand stems.
        cue_verbs: Data file of verbs that launch a product (推出, 上线).
        program_suffixes: Data file of program type words (a quote followed
            by one names a program, not a platform).
        extra_stops: Data file of stop words for platform names only.
        edge_words: Data file of words that never start a name (充分发挥).
    """

    label = LABEL

    def __init__(
        self,
        suffixes: str = "platform_suffixes.txt",
        stops: str = "program_left_stops.txt",
        generic: str = "program_generic.txt",
        tech_words: str = "platform_tech_words.txt",
        right_block: str = "platform_right_block.txt",
        group_prefixes: str = "platform_group_prefixes.txt",
        brand_stems: str = "platform_brand_stems.txt",
        cue_verbs: str = "platform_cue_verbs.txt",
        program_suffixes: str = "program_suffixes.txt",
        extra_stops: str = "platform_left_stops.txt",
        edge_words: str = "program_edge_words.txt",
    ) -> None:
        self.suffixes = load_suffixes(suffixes)
        self.stops = load_words(stops) | load_words(extra_stops)
        self.generic = load_words(generic) | load_words(tech_words)
        self.tech = load_words(tech_words)
        self.right_block = load_words(right_block)
        self.groups = tuple(load_words(group_prefixes))
        self.brands = [
            (r[0], int(r[1]), tuple(r[2].split()) if len(r) > 2 else ()) for r in load_rows(brand_stems)
        ]
        self.cue_verbs = load_words(cue_verbs)
        #: verbs that are part of product names by the group (畅听 is no verb; 识别系统 ends in one)
        self.brand_words = frozenset(w for w, _ in self.suffixes) | {stem for stem, _, _ in self.brands}
        self.segment = jieba_segmenter()
        self.pos_tag = jieba_pos()
        self.program_words = tuple(w for w, _ in load_suffixes(program_suffixes))
        self.edge_words = load_words(edge_words)

    def more_names(self, text: str, tokens: Tokens, quotes: list[Quote], titles: list, out: dict) -> None:
        """Quoted names with a platform word, brand stems, Latin brands, online venues, 云 products."""
        self._quoted(text, quotes, titles, out)
        self._brand_stems(text, tokens, quotes, titles, out)
        self._latin_lists(text, titles, out)
        self._online_venues(text, tokens, titles, out)
        self._cloud_products(text, tokens, titles, out)

    def from_candidate(
        self, text: str, tokens: Tokens, cand: Candidate, quotes: list[Quote], out: dict
    ) -> None:
        """Read the platform name that ends in the type word of ``cand`` into ``out``, if there is one."""
        start = self._name_start(text, tokens, cand, quotes)
        if start is None:
            return
        trimmed = canonical_form(text[start : cand.end])
        body = trimmed[: len(trimmed) - len(cand.suffix)]
        bare = strip_ordinal(body)
        prefix = group_prefix(bare + "x", self.groups)
        # quoted: inside a quote, or starting with one (after a group name): 「联通碳生活」碳普惠应用
        head = start + len(group_prefix(trimmed, self.groups) or "")
        quoted = any(q.start + 1 >= start and cand.end == q.end - 1 for q in quotes) or any(
            q.start in (start, head) and q.end <= cand.end for q in quotes
        )
        if not body or trimmed in self.tech or trimmed.endswith(_TO_CLOUD):
            return
        if _INDEFINITE.search(text[max(0, start - 3) : start]) and not quoted:
            return  # 一套全栈信创化云平台: a description, not a name
        if prefix and bare == prefix:
            # the group's own product: 联通云, 中国联通APP (not 移动APP = "mobile app", 中国移动服务)
            if prefix == "移动" and cand.suffix != "云" or cand.level == 1 and cand.suffix != "云":
                return
        elif re.fullmatch(r"\d{5}\s*(客服|服务)?", bare[len(prefix or "") :]):
            pass  # service numbers: 10086热线, 中国联通10010网上营业厅
        elif quoted:
            if self._quoted_body_rejected(text, start, cand, body):
                return
        elif self._unquoted_body_rejected(text, start, cand, trimmed, bare, prefix):
            return
        m = self._mention(text, start, cand.end)
        if m is not None:
            out.setdefault((m.start, m.end), m)

    def _name_start(self, text: str, tokens: Tokens, cand: Candidate, quotes: list[Quote]) -> int | None:
        """Where the name ending in ``cand``'s type word starts, or ``None`` when there is none."""
        start = trim_start(text, tokens, cand.start, cand.end, self.stops, quotes, known=self.pos_tag)
        for stem, _, _ in self.brands:
            k = text.find(stem, max(0, start - len(stem) + 1), start + 1)
            if 0 <= k < start < k + len(stem):
                start = k  # 和家亲平台: a brand stem is not the stop word 和
        start = trim_edge(text, start, cand.end, self.pos_tag, self.segment, self.edge_words, min_rest=2)
        if len(cand.suffix) == 1:
            k = tokens.index_containing(cand.end - 1)
            word = tokens.texts[k] if k is not None else cand.suffix
            if word != cand.suffix and self.pos_tag(word) in _NAME_TAGS:
                return None  # 王小云, 北京密云: a person or a place, not a cloud
            nxt = text[cand.end : cand.end + 1]
            glued = nxt in ("上", "端", "化") or has_han(nxt) and nxt not in "等和与及的为在是已将中、"
            if glued or cand.suffix in text[start : cand.end - 1]:
                return None  # 云上应用, 联通云分布式云, 省疾控云建立: no cloud of its own
        return self._after_verb(text, start, cand, quotes)

    def _quoted_body_rejected(self, text: str, start: int, cand: Candidate, body: str) -> bool:
        """Whether a quoted name with a type word is a quality, a campaign or the use of a platform."""
        if len(body) < 2 or is_generic(body, self.generic, self.segment):
            return True  # “千兆”网络服务: a quality in quotes
        if cand.suffix == "服务" and not self._cued(text, start, cand.end):
            return True  # “爱心驿站”服务, “1236”服务: a campaign or a slogan, not a product
        raw_body = text[start : cand.end - len(cand.suffix)].rstrip()
        # “格物”平台应用: a use of a platform named before (not 「联通云」平台)
        return raw_body.endswith(tuple(w for w, _ in self.suffixes))

    def _unquoted_body_rejected(
        self, text: str, start: int, cand: Candidate, trimmed: str, bare: str, prefix: str | None
    ) -> bool:
        """Whether an unquoted type-word phrase describes a kind of platform instead of naming one."""
        rest = bare[len(prefix) :] if prefix else bare
        if is_generic(rest, self.generic, self.segment):
            return True
        if cand.level == 2 and not whole_line(text, start, cand.end):
            return True
        glossed = re.match(r"[(（][A-Za-z0-9-]{2,}[)）]", text[cand.end : cand.end + 12])
        proper = has_proper_part(rest, self.pos_tag, self.segment, self.generic)
        words = self.segment(rest)
        places = 0
        while places < len(words) - 1 and self.pos_tag(words[places]) == "ns":
            places += 1
        named = "".join(words[places:])
        if places and len(named) >= 2 and is_generic(named, self.generic, self.segment):
            return True  # 广东省阳江市海上风电平台: a place and a kind of thing
        if any(w[0] in INNER_PREPOSITIONS and (len(w) == 1 or not self.pos_tag(w)) for w in words[1:]):
            return True  # 政府对大数据平台: a clause
        if rest.endswith(tuple(w for w, _ in self.suffixes)) or any(w in rest for w in _TO_CLOUD):
            return True  # 格物平台应用: a use of a platform named before
        if any(w in _PERSON_TITLES for w in words):
            return True  # 清华大学教授王小云: a person
        tech = next((t for t in self.tech if len(t) >= 3 and trimmed.endswith(t)), None)
        if tech and is_generic(trimmed[: -len(tech)], self.generic, self.segment):
            return True  # 中国公有云, 医院边缘云: a kind of cloud
        launched = text[max(0, start - 4) : start].rstrip("了 ").endswith(_LAUNCH_VERBS)
        named = proper or prefix or glossed or launched or whole_line(text, start, cand.end)
        if cand.level == 0 and not named:
            return True  # 心理咨询平台, 数字经济平台: a kind of platform, not a named one
        if cand.level == 1:
            cued = self._cued(text, start, cand.end)
            if len(rest) < 3 or len(rest) > 14 or (cand.suffix in ("服务", "应用", "专区") and not cued):
                return True
            if cand.suffix in ("服务", "热线") and not (proper or launched) or len(rest) < 4:
                return True  # 专属服务, 一线吹哨部门报到高品质服务: a service described, not named
            if not cued and any(self.pos_tag(w) == "v" for w in self.segment(rest)):
                return True  # 有力提升政务云: a verb phrase before a weak type word
        return False

    def _after_verb(self, text: str, start: int, cand: Candidate, quotes: list[Quote]) -> int | None:
        """Start a name after the verbs at its left edge (收集网络竞价平台 -> 网络竞价平台).

        A verb that opens an unquoted name introduces it (鼓励游客参与平台,
        注重平台); the name is what follows, and there is none when only the
        type word or one character follows. Verbs inside the name modify it
        (4G/5G协同智能节能管理平台) and stay.

        Returns:
            The new start, or ``None`` when no name is left.
        """
        if text[start] in OPEN_QUOTES or any(q.start >= start and q.end <= cand.end for q in quotes):
            return start
        body = text[start : cand.end - len(cand.suffix)]
        for g in sorted(self.groups, key=len, reverse=True):
            k = len(body) - len(g)
            if k > 0 and body.endswith(g) and not body[:k].endswith("中国"):
                return start + k  # 数据安全联通云 -> 联通云: the group's own product after a clause
        words = self.segment(body)
        if any(self.pos_tag(w) == "d" for w in words[1:]):
            return None  # 模式逐步应用: an adverb inside makes a clause
        cut = 0
        for w in words:
            if len(w) < 2 or self.pos_tag(w) != "v" or w in self.brand_words:
                break
            cut += len(w)
        if len(body) - cut < 2:
            return None
        return start + cut

    def _cued(self, text: str, start: int, end: int) -> bool:
        """True when a launch verb introduces the name, directly or through a 的 modifier.

        推出了X服务; 打造沉浸体验的全终端移动云VR应用 (through 的 only for a
        name with Latin letters or digits).
        """
        before = text[max(0, start - 4) : start].rstrip("了 ")
        if any(before.endswith(v) for v in self.cue_verbs):
            return True
        clause = re.split(r"[,，。;；:：!！?？\n]", text[max(0, start - 14) : start])[-1]
        if not clause.endswith("的") or not re.search(r"[A-Za-z0-9]", text[start:end]):
            return False
        return any(clause.find(v) >= 0 for v in self.cue_verbs)

    def _quoted(self, text: str, quotes: list[Quote], titles: list, out: dict) -> None:
        for q in quotes:
            if any(a <= q.start < b for a, b in titles):
                continue
            inner = canonical_form(q.inner(text))
            if len(inner) < 2 or inner in self.tech or re.search(r"[,，、;；。]", inner):
                continue
            if is_generic(inner, self.generic, self.segment):
                continue  # “千兆”网络, “杀手级”应用: a quality, not a name
            # group + quote: 联通“格物”
            before = text[max(0, q.start - 4) : q.start]
            prefix = next((g for g in sorted(self.groups, key=len, reverse=True) if before.endswith(g)), None)
            after = text[q.end : q.end + 8]
            type_word = next((w for w in _QUOTE_TYPE_WORDS if after.startswith(w)), None)
            if type_word is None:
                m = _QUOTE_TYPE_HEAD.match(after)
                if m and not is_generic(m.group(1), frozenset(), self.segment):
                    type_word = m.group(0)
            if prefix and prefix not in ("移动",) and type_word is None:
                ahead = re.match(r"^[^\n,，。;；:：、]{0,16}", text[q.end :]).group(0)
                if inner.endswith(self.program_words) or any(w in ahead for w in self.program_words):
                    continue
                if len(inner) > 4 or _NOT_PRODUCT_AFTER.match(ahead) or ahead.startswith(("(", "（")):
                    continue  # 中国移动“力量大厦”发展战略, 联通“服务标兵集体”: no product
                start = q.start - len(prefix)
                m = self._mention(text, start, q.end)
                if m is not None:
                    m.aliases = tuple(dict.fromkeys((*m.aliases, inner)))
                    out.setdefault((m.start, m.end), m)
                continue
            if type_word is None or inner.endswith(tuple(w for w, _ in self.suffixes)):
                continue
            nxt = text[q.end + len(type_word) : q.end + len(type_word) + 1]
            if nxt and re.match(rf"[{HAN}A-Za-z0-9]", nxt):
                continue
            end = q.end + len(type_word)
            m = self._mention(text, q.start, q.end)
            if m is not None:
                m.end = end
                m.surface = text[q.start : end]
                m.aliases = tuple(dict.fromkeys((*m.aliases, m.surface, canonical_form(m.surface))))
                out[(m.start, m.end)] = m  # the quoted name is the better canonical

    def _brand_stems(
        self, text: str, tokens: Tokens, quotes: list[Quote], titles: list, out: dict
    ) -> None:
        for stem, extra, excluded in self.brands:
            for mt in re.finditer(re.escape(stem) + rf"([{HAN}]{{1,{extra}}})", text):
                tail = mt.group(1)
                if any(tail.startswith(x) for x in excluded):
                    continue
                s = mt.start()
                # the brand ends with the word its first extra character belongs to (和家|亲|等 -> 和家亲)
                k = tokens.index_containing(mt.start(1))
                e = tokens.ends[k] if k is not None else mt.end()
                if e > mt.end():
                    continue
                if any(a <= s < b for a, b in titles) or any(a <= s < b for a, b in out):
                    continue
                # part of a longer program name (咪咕善跑公益行项目)
                ahead = _PROGRAM_AHEAD.match(text[e:])
                if ahead:
                    continue
                glued = e < len(text) and has_han(text[e]) and text[e] not in "等和与及的、"
                if e - mt.start(1) == 1 and glued:
                    continue  # 咪咕善|跑: a one-character tail glued to the next word
                m = self._mention(text, s, e)
                if m is not None:
                    m.attrs["source"] = "platforms.brand"
                    out.setdefault((m.start, m.end), m)

    def _latin_lists(self, text: str, titles: list, out: dict) -> None:
        """Latin brands in a list closed by a platform word.

        发布OneCity智慧城市、OnePower工业互联网等九大行业平台 -> OneCity, OnePower
        (the whole list item is an alias).
        """
        for close in _LIST_CLOSE.finditer(text):
            if any(a <= close.start() < b for a, b in titles):
                continue
            clause_start = max(text.rfind(c, 0, close.start()) for c in _CLAUSE_MARKS) + 1
            pos = clause_start
            first = _LATIN_BRAND.search(text, clause_start, close.start())
            if first is None or not any(v in text[clause_start : first.start()] for v in self.cue_verbs):
                continue  # the group's own products are launched: 发布OneCity…
            for item in text[clause_start : close.start()].split("、"):
                latin = _LATIN_BRAND.search(item)
                if latin and latin.group(0) not in self.tech and (latin.start() == 0 or pos == clause_start):
                    s, e = pos + latin.start(), pos + len(item)
                    if not any(a < e and s < b for a, b in out):
                        m = self._mention(text, s, e)
                        if m is not None:
                            full = m.canonical
                            m.canonical = latin.group(0)
                            names = dict.fromkeys((*m.aliases, full))
                            m.aliases = tuple(a for a in names if a != m.canonical)
                            m.attrs["source"] = "platforms.latin-list"
                            out.setdefault((m.start, m.end), m)
                pos += len(item) + 1

    def _online_venues(self, text: str, tokens: Tokens, titles: list, out: dict) -> None:
        """Online versions of venues: 网上人才发展中心, 云上VR书店 (a group name before it stays)."""
        token_ends = set(tokens.ends)
        for mt in _ONLINE_VENUE.finditer(text):
            s, e = mt.start(), mt.end()
            if e not in token_ends and e < len(text) and has_han(text[e]):
                continue
            k = tokens.index_containing(s)
            if k is None or tokens.starts[k] != s and not mt.group(1):
                continue
            if any(a <= s < b for a, b in titles) or len(mt.group(3)) < 2:
                continue
            if any(self.pos_tag(w) in ("c", "p") for w in self.segment(mt.group(3))):
                continue  # 线上场景以及联通营业厅
            m = self._mention(text, s, e)
            if m is not None:
                m.attrs["source"] = "platforms.online-venue"
                out.setdefault((m.start, m.end), m)

    def _cloud_products(self, text: str, tokens: Tokens, titles: list, out: dict) -> None:
        """云 + a noun as a product of its own: 提供云视讯会议, 云演艺、云健身."""
        for k, word in enumerate(tokens.texts[:-1]):
            if word != "云":
                continue
            s = tokens.starts[k]
            nxt = tokens.texts[k + 1]
            e = tokens.ends[k + 1]
            if tokens.starts[k + 1] != s + 1 or len(nxt) != 2 or not has_han(nxt):
                continue
            if self.pos_tag(nxt) not in ("n", "nz") or nxt in self.generic or "云" + nxt in self.tech:
                continue
            before = text[max(0, s - 2) : s]
            opened = s == 0 or before[-1:] in "、,，:：;；\n“「"
            if not (opened or before.endswith("提供") or any(before.endswith(v) for v in self.cue_verbs)):
                continue
            after = text[e : e + 1]
            then = tokens.texts[k + 2] if k + 2 < len(tokens.texts) else ""
            if after and after not in "、,，。;；等和与及”」" and self.pos_tag(then) not in ("n", "vn"):
                continue
            if any(a <= s < b for a, b in titles) or any(a < e and s < b for a, b in out):
                continue
            m = self._mention(text, s, e)
            if m is not None:
                m.attrs["source"] = "platforms.cloud-product"
                out.setdefault((m.start, m.end), m)

    def _mention(self, text: str, start: int, end: int) -> Mention | None:
        while start < end and text[start] in " *":
            start += 1
        surface = text[start:end]
        name, aliases = base_name(surface, gloss_aliases=True)
        if junk_reason(name, quoted=any(c in OPEN_QUOTES for c in surface)):
            return None
        if re.search(rf"图\d|[{HAN}]·\d|[A-Za-z]/[A-Za-z]", name):
            return None  # 图8泰尔网测APP, 客户接待日·10086热线, APP/PC平台: figure captions and lists
        if len(re.findall(r"云|平台|系统|APP", name)) > 2 or _COUNTED_KINDS.search(name):
            return None  # 阿里云天翼云移动云…: a table row of names; 五大中台, N个5G应用: a count
        if re.search(rf"[{HAN}][+\-—]", name):
            return None  # 云+AI服务, 人-车-路-云, 蓝天先锋—智能治水: a formula or a list, not a product
        prefix = group_prefix(name, self.groups)
        if prefix:
            rest = name[len(prefix) :]
            if prefix.startswith("中国"):
                aliases.append(prefix[2:] + rest)
            if len(rest) >= 4 and not is_generic(rest, self.generic, self.segment):
                aliases.append(rest)
        if name in self.tech or not names_a_thing(name):
            return None
        if surface.count("(") != surface.count(")"):
            return None
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        return Mention(
            start=start,
            end=end,
            label=LABEL,
            canonical=name,
            surface=surface,
            aliases=tuple(aliases),
            attrs={"source": "platforms.suffix"},
        )


@Language.factory(
    "kg_platforms",
    assigns=["doc._.kg_mentions"],
    default_config={
        "suffixes": "platform_suffixes.txt",
        "stops": "program_left_stops.txt",
        "generic": "program_generic.txt",
        "tech_words": "platform_tech_words.txt",
        "right_block": "platform_right_block.txt",
        "group_prefixes": "platform_group_prefixes.txt",
        "brand_stems": "platform_brand_stems.txt",
        "cue_verbs": "platform_cue_verbs.txt",
        "program_suffixes": "program_suffixes.txt",
        "extra_stops": "platform_left_stops.txt",
        "edge_words": "program_edge_words.txt",
    },
)
def make_platform_finder(
    nlp: Language,
    name: str,
    suffixes: str,
    stops: str,
    generic: str,
    tech_words: str,
    right_block: str,
    group_prefixes: str,
    brand_stems: str,
    cue_verbs: str,
    program_suffixes: str,
    extra_stops: str,
    edge_words: str,
) -> PlatformFinder:
    """Create the ``kg_platforms`` component (lexicon file names are config)."""
    return PlatformFinder(
        suffixes, stops, generic, tech_words, right_block, group_prefixes, brand_stems, cue_verbs,
        program_suffixes, extra_stops, edge_words,
    )
