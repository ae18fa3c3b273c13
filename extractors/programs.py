"""PROGRAM mentions: named initiatives, projects, campaigns, funds, contests.

Rules, in the order they fire:

1. **Type-word names**: a noun phrase ending in a program type word
   (行动, 计划, 工程, 项目, 活动, 大赛, 示范班 … ``program_suffixes.txt``), read
   leftwards up to the verb, preposition, numeral-with-measure or punctuation
   that introduces it (推动“绿色行动计划” -> 绿色行动计划; 举办两期“优秀网格长
   能力提升示范班” -> 优秀网格长能力提升示范班). Unquoted names whose body is
   made only of generic words (公益活动, 专项行动) are dropped.
2. **Quoted head names**: a name that starts with a quote (“蓝色梦想”校长培训项目)
   also yields the quoted name (蓝色梦想) as a program, and the longer one is
   ``partOf`` it (``attrs["part_of"]``). A name that holds an earlier type word
   (爱“心”行动咪咕善跑公益行项目) yields that head (爱心行动) the same way.
3. **Quote runs**: quotes followed by 等/系列/两大 and a type word
   (“暖心工程”“幸福 1+1”等活动; “服务领先、阳光行动、削峰行动”三大工程).
4. **Awards and group-named quotes**: 荣获“中国移动公益之星”。; “中国移动多媒体教室”.

Quoted phrases with no such cue are emphasis or slogans and are ignored, as are
phrases in ``program_slogans.txt`` and anything inside 《》.
"""

from __future__ import annotations

import re

from spacy.language import Language

from extractors.lexicon import alternation, load_json
from extractors.names import (
    CLOSE_QUOTES,
    INNER_PREPOSITIONS,
    OPEN_QUOTES,
    Candidate,
    NameFinder,
    Quote,
    Tokens,
    all_stops,
    base_name,
    canonical_form,
    group_prefix,
    has_han,
    is_generic,
    jieba_pos,
    jieba_segmenter,
    junk_reason,
    load_suffixes,
    load_words,
    names_a_thing,
    strip_ordinal,
    trim_edge,
    trim_start,
    whole_line,
)
from kg.model import Mention
from kg.textunits import CLAUSE_MARKS, HAN, char_class

LABEL = "PROGRAM"
#: the word lists of data/program_cues.json (read once, at import)
_CUES = load_json("program_cues.json")
_SLOGAN_MARKS = re.compile(char_class(CLAUSE_MARKS) + r"|就是|^.{0,1}$")
_RUN_GAP = re.compile(r"^[、\s]*$")
_RUN_TAIL = re.compile(
    r"^\s*(?:等(?:[多各]?[项个类场次])?|系列|[两二三四五六七八九十]大|[0-9]+大)?"
    rf"[{HAN}]{{0,8}}?$"
)
# a run of quotes introduced as examples of programs: …示范项目,其中“A”“B”等
_LEAD = re.compile(
    rf"({alternation(_CUES['example_type_words'])})[,，:：]?\s*({alternation(_CUES['example_intros'])})\s*$"
)
_PLATFORM_AFTER = re.compile(rf"^[{HAN}]{{0,4}}({alternation(_CUES['platform_after_quote'])})")
#: type words whose quoted name must be a verb phrase (a campaign, not a product)
_QUOTED_VERB_TYPE_WORDS = tuple(_CUES["quoted_verb_type_words"])
#: type words that may end the first of two headings a PDF line join glued together
_INNER_TYPE_WORDS = tuple(_CUES["inner_type_words"])
#: earlier type words inside a name that make a head name of its own
_HEAD_TYPE_WORDS = tuple(_CUES["head_type_words"])
_RANK = re.compile(rf"(?<=[杯赛])(?:{alternation([*_CUES['prize_grades'], *_CUES['contest_grades']])})奖$")
_ORG_END = re.compile(rf"({alternation(_CUES['org_ends'])})$")
#: organisations that any rule may read as a name (冬奥会领导小组办公室)
_BODY_END = re.compile(rf"({alternation(_CUES['body_ends'])})$")
#: who plans: before 计划 and a verb, 计划 is a verb too (政府计划拨款)
_PLANNER = re.compile(rf"({alternation(_CUES['planners'])})$")
#: a count of kinds before the type word: 三大工程, 十大优先行动, 两大子项目 (a list, not a name)
_KIND_COUNT = re.compile(r"[两二三四五六七八九十0-9]大|[0-9]+余?[个项家座场次所]")
#: a prize grade after something that is not a contest: 大会一等奖
_GRADE = re.compile(rf"(?:{alternation(_CUES['prize_grades'])})奖$")
#: ranks that make a description, not a name (第一品牌, 最佳…)
_RANKING = re.compile(alternation(_CUES["rankings"]))
#: a quote that holds only a number or a numbered document: “千亿”, “数据二十条”
_NUMBER_QUOTE = re.compile(rf"^[{HAN}]{{0,3}}[一二三四五六七八九十百千万亿两]+[条亿万]?$")


class ProgramFinder(NameFinder):
    """Find PROGRAM mentions in a ``Doc`` (see module docstring for the rules).

    Args:
        suffixes: Data file of program type words.
        stops: Data file of left-boundary stop words.
        generic: Data file of generic words.
        slogans: Data file of slogans and ideas.
        right_block: Data file of words that cancel a type word after it.
        platform_suffixes: Data file of platform type words (names ending in
            them belong to the platform component).
        group_prefixes: Data file of group names used as prefixes.
        award_cues: Data file of verbs that introduce an award.
        cue_verbs: Data file of verbs that introduce a program.
        tech_words: Data file of technology words (区块链项目 is no name either).
        edge_words: Data file of words that never start a name (充分发挥).
        title_nouns: Data file of nouns that make an honorary title, not an
            award scheme (集体, 志愿者: “最美科技志愿者”).
    """

    label = LABEL

    def __init__(
        self,
        suffixes: str = "program_suffixes.txt",
        stops: str = "program_left_stops.txt",
        generic: str = "program_generic.txt",
        slogans: str = "program_slogans.txt",
        right_block: str = "program_right_block.txt",
        platform_suffixes: str = "platform_suffixes.txt",
        group_prefixes: str = "platform_group_prefixes.txt",
        award_cues: str = "program_award_cues.txt",
        cue_verbs: str = "program_cue_verbs.txt",
        tech_words: str = "platform_tech_words.txt",
        edge_words: str = "program_edge_words.txt",
        title_nouns: str = "program_title_nouns.txt",
    ) -> None:
        self.suffixes = load_suffixes(suffixes)
        self.suffix_words = {w for w, _ in self.suffixes}
        self.stops = load_words(stops)
        self.generic = load_words(generic) | load_words(tech_words)
        self.slogans = load_words(slogans)
        self.right_block = load_words(right_block)
        # names ending in a (non-weak) platform type word belong to the platform component
        self.platform_suffixes = tuple(w for w, level in load_suffixes(platform_suffixes) if level == 0)
        self.groups = tuple(load_words(group_prefixes))
        self.award_cues = load_words(award_cues)
        self.cue_verbs = load_words(cue_verbs)
        self.segment = jieba_segmenter()
        self.pos_tag = jieba_pos()
        self.edge_words = load_words(edge_words)
        self.title_nouns = tuple(load_words(title_nouns))

    # ------------------------------------------------------------------ find
    def more_names(self, text: str, tokens: Tokens, quotes: list[Quote], titles: list, out: dict) -> None:
        """Quote runs closed by a type word, award quotes and group-named quotes."""
        self._quote_runs(text, quotes, titles, out)
        self._quote_cues(text, quotes, titles, out)

    def from_candidate(
        self, text: str, tokens: Tokens, cand: Candidate, quotes: list[Quote], out: dict
    ) -> None:
        start = trim_start(text, tokens, cand.start, cand.end, self.stops, quotes, known=self.pos_tag)
        start = trim_edge(text, start, cand.end, self.pos_tag, self.segment, self.edge_words)
        split = self._glued_split(text, tokens, start, cand)
        if split is not None:
            # two headings joined into one line: 培训项目 | 中青年干部进修班
            word = next(w for w in _INNER_TYPE_WORDS if text.endswith(w, start, split))
            self.from_candidate(text, tokens, Candidate(start, split, word, 0), quotes, out)
            right = Candidate(split, cand.end, cand.suffix, cand.level)
            self.from_candidate(text, tokens, right, quotes, out)
            return
        trimmed = name = canonical_form(text[start : cand.end])
        body = trimmed[: len(trimmed) - len(cand.suffix)]
        # a name inside a quote counts as quoted only when it starts the quote (“安全产业链联合出海计划”
        # quotes more than 出海计划)
        quoted = any(q.start <= start <= q.start + 1 and cand.end <= q.end for q in quotes) or _starts_quoted(
            text, start, quotes
        )
        if body.endswith(self.platform_suffixes) or not body or all_stops(body, self.stops):
            return  # 深入开展行动: only the verbs that introduce a name
        inner_quote = next((q for q in quotes if start <= q.start and q.end <= cand.end), None)
        if inner_quote is not None and inner_quote.start > start:
            # 巩固升级“‘黔’锋闯新路”党建品牌: a lone verb before the quote is not part of the name
            lead = text[start : inner_quote.start].strip()
            words = self.segment(lead)
            if len(lead) >= 2 and (self.pos_tag(lead) in ("v", "vn") or self.pos_tag(words[0]) == "v"
                                   or is_generic(lead, self.generic, self.segment)):
                # 面对国家“东数西算”工程, 完成工作目标“三联”行动: the name starts at the quote
                start = inner_quote.start
                trimmed = canonical_form(text[start : cand.end])
                body = trimmed[: len(trimmed) - len(cand.suffix)]
        enclosing = next((q for q in quotes if q.start < start and cand.end <= q.end), None)
        if enclosing is not None and re.search(r"[、，,;；]", enclosing.inner(text)):
            return  # “公司经营计划、投资方案和年度筹融资计划”: a list of items, not a name
        adjacent = inner_quote is not None and canonical_form(text[inner_quote.end : cand.end]) == cand.suffix
        if cand.level == 3 and inner_quote is not None and inner_quote.start > start:
            start = inner_quote.start  # 浙江“重要窗口”建设: the quote is what is built
        if cand.level == 3 and not (inner_quote is not None and cand.suffix in _QUOTED_VERB_TYPE_WORDS
                                    or adjacent):
            return  # “平安乡村”建设, not “安全即服务”体系建设 (the quote names a part, 建设 is a verb)
        if cand.suffix in _QUOTED_VERB_TYPE_WORDS and not (
            inner_quote is not None and inner_quote.start == start
            and self._verb_phrase(canonical_form(inner_quote.inner(text)))
        ):
            # “爱心不掉线”免停机服务 is a campaign; “X”服务 with a noun is a product
            return
        if cand.level == 2 and not (quoted or inner_quote or whole_line(text, start, cand.end)
                                    or _counted(text, tokens, start) or name != strip_ordinal(name)):
            return
        if not quoted and inner_quote is None:
            if is_generic(_drop_group(body, self.groups), self.generic, self.segment):
                return
            if cand.level == 1 and len(body) < 4:
                return
            if self._clause(text, body, cand):
                return
        elif is_generic(body, self.generic if cand.suffix == "项目" else frozenset(), self.segment):
            return  # “适老化”服务项目: a kind of project, even in quotes
        if self._is_slogan(trimmed, allow_comma=inner_quote is not None and inner_quote.start == start):
            return
        if not (quoted or inner_quote) and cand.suffix == "品牌" and not has_han(body):
            return  # “5Gn”品牌 is a product brand
        mention = self._mention(text, start, cand.end, source="suffix")
        if mention is None:
            return
        out.setdefault((mention.start, mention.end), mention)
        self._head_names(text, start, cand, quotes, mention, out)

    def _head_names(
        self, text: str, start: int, cand: Candidate, quotes: list[Quote], child: Mention, out: dict
    ) -> None:
        """Emit the head of a composite name and link the name to it (partOf)."""
        # a quote at the start (after an optional group prefix): “蓝色梦想”校长培训项目
        prefix = group_prefix(text[start : cand.end], self.groups) or ""
        q = next((q for q in quotes if q.start == start + len(prefix) and q.end < cand.end), None)
        if q is not None:
            inner = canonical_form(q.inner(text))
            if inner.endswith((*self.platform_suffixes, *self.title_nouns)) or inner in self.groups:
                # “中国移动”品牌 names the group, “亚洲尊崇企业”奖项 a title
                out.pop((child.start, child.end), None)
                return
            rest = text[q.end : cand.end]
            if self._is_slogan(inner, allow_comma=True) or len(inner) < 2 or inner in self.generic:
                return
            rest_body = canonical_form(rest)[: -len(cand.suffix)]
            if not rest_body:
                # “决胜在云”行动, “一带一路”建设: one program, the type word makes an alias
                one = self._mention(text, q.start, q.end, source="quote-head")
                if one is not None:
                    out.pop((child.start, child.end), None)
                    one.end, one.surface = child.end, child.surface
                    one.aliases = tuple(a for a in dict.fromkeys(
                        (*one.aliases, child.canonical, *child.aliases)) if a != one.canonical)
                    out.setdefault((one.start, one.end), one)
                return
            head = self._mention(text, q.start, q.end, source="quote-head")
            if head is not None and head.canonical != child.canonical:
                out.setdefault((head.start, head.end), head)
                child.attrs["part_of"] = head.canonical
                rest_name = canonical_form(rest)
                if len(rest_name) >= 5 and not is_generic(
                    rest_name[: -len(cand.suffix)], self.generic, self.segment
                ):
                    child.aliases = tuple(dict.fromkeys((*child.aliases, rest_name)))
            return
        # an earlier type word inside the name: 爱“心”行动咪咕善跑公益行项目
        name = text[start : cand.end]
        for word in _HEAD_TYPE_WORDS:
            k = name.find(word)
            while 0 < k and k + len(word) < len(name) - len(cand.suffix):
                end = start + k + len(word)
                head_text = canonical_form(text[start:end])
                if len(head_text) >= 4 and not self._is_slogan(head_text):
                    head = self._mention(text, start, end, source="inner-head")
                    if head is not None:
                        out.setdefault((head.start, head.end), head)
                        child.attrs["part_of"] = head.canonical
                        rest_name = canonical_form(text[end : cand.end])
                        if len(rest_name) >= 5:
                            child.aliases = tuple(dict.fromkeys((*child.aliases, rest_name)))
                        return
                k = name.find(word, k + 1)

    def _quote_runs(self, text: str, quotes: list[Quote], titles: list, out: dict) -> None:
        """Quotes in a run closed by 等/系列/N大 and a type word are programs each."""
        i = 0
        while i < len(quotes):
            run = [quotes[i]]
            while i + 1 < len(quotes) and _RUN_GAP.match(text[run[-1].end : quotes[i + 1].start]):
                i += 1
                run.append(quotes[i])
            i += 1
            if any(a <= run[0].start < b for a, b in titles):
                continue
            tail = self._tail_type_word(text, run[-1].end)
            lead = _LEAD.search(text[max(0, run[0].start - 14) : run[0].start])
            if tail is None and not lead:
                continue
            between = text[run[-1].end : tail] if tail is not None else ""
            if (tail is not None and len(run) == 1 and not lead
                    and not re.match(r"^\s*(等|系列|[两二三四五六七八九十0-9]+大)", between)):
                continue
            for q in run:
                inner = q.inner(text)
                parts = [inner]
                if "、" in inner and re.match(r"^\s*[两二三四五六七八九十0-9]+大", between):
                    parts = inner.split("、")
                offset = q.start + 1
                for part in parts:
                    s = text.find(part, offset)
                    offset = s + len(part)
                    name = canonical_form(part)
                    if len(name) < 2 or self._is_slogan(name) or name.endswith(self.platform_suffixes):
                        continue
                    if len(parts) == 1:
                        s, e = q.start, q.end
                    else:
                        e = s + len(part)
                    m = self._mention(text, s, e, source="quote-run")
                    if m is not None:
                        out.setdefault((m.start, m.end), m)

    def _tail_type_word(self, text: str, pos: int) -> int | None:
        """Offset of a type word within a few characters after ``pos``, if any."""
        window = text[pos : pos + 12]
        m = re.match(r"^[^\n,，。;；:：!！?？“「『《]{0,10}", window)
        if not m:
            return None
        span = m.group(0)
        for word, level in self.suffixes:
            k = span.find(word)
            if k >= 0 and _RUN_TAIL.match(span[:k]) and (level < 3 or k == 0):
                return pos + k
        return None

    def _quote_cues(self, text: str, quotes: list[Quote], titles: list, out: dict) -> None:
        """Award quotes (荣获“…”。) and quotes that start with a group name."""
        for q in quotes:
            if any(a <= q.start < b for a, b in titles) or (q.start, q.end) in out:
                continue
            inner = canonical_form(q.inner(text))
            if len(inner) < 3 or self._is_slogan(inner) or inner.endswith(self.platform_suffixes):
                continue
            before = text[max(0, q.start - 4) : q.start].replace("*", "")
            after = text[q.end : q.end + 1].replace("*", "")
            closed = after == "" or after in "。,，;；、\n)）" or text.startswith("**", q.end)
            award = any(before.endswith(c) for c in self.award_cues) and closed
            cue = any(before.endswith(c) for c in self.cue_verbs) and closed
            prefix = group_prefix(inner, self.groups)
            group_named = (prefix is not None and prefix.startswith("中国") and not _ORG_END.search(inner)
                           and has_han(inner[len(prefix) :]))
            if _PLATFORM_AFTER.match(text[q.end : q.end + 8]):
                continue
            if award or cue or group_named:
                if any(q.start <= m.start and m.end <= q.end for m in out.values()):
                    continue
                m = self._mention(text, q.start, q.end, source="quote-cue")
                if m is not None:
                    out.setdefault((m.start, m.end), m)

    # --------------------------------------------------------------- helpers
    def _glued_split(self, text: str, tokens: Tokens, start: int, cand: Candidate) -> int | None:
        """Where a whole-line name holds two names (X培训项目中青年干部进修班), the split offset."""
        if not whole_line(text, start, cand.end) or cand.end - start < 10:
            return None
        token_ends = set(tokens.ends)
        for word in _INNER_TYPE_WORDS:
            k = text.find(word, start + 4, cand.end - len(cand.suffix) - 3)
            while k >= 0:
                split = k + len(word)
                right = canonical_form(text[split : cand.end])
                blocked = any(text.startswith(b, split) for b in self.right_block)
                specific = not is_generic(right[: -len(cand.suffix)], self.generic, self.segment)
                if (split in token_ends and not blocked and text[split] not in CLOSE_QUOTES
                        and len(right) >= 5 and specific):
                    return split
                k = text.find(word, k + 1, cand.end - len(cand.suffix) - 3)
        return None

    def _clause(self, text: str, body: str, cand: Candidate) -> bool:
        """True when an unquoted name reads as a clause or a description, not a name.

        三大工程 and 两大子项目 count kinds; 香港特区政府计划拨款 uses 计划 as a
        verb; 网络犯罪防治法列入第二类项目 and 智能手柄往杯 hold a verb that
        introduces names or a preposition; 签订项目 is a verb and a type word;
        第一品牌 ranks.
        """
        if _KIND_COUNT.search(body) or _RANKING.search(body):
            return True
        if cand.suffix in ("计划", "试点"):
            nxt = text[cand.end : cand.end + 1]
            if nxt and nxt in "以将于在对拟" or _PLANNER.search(body) and has_han(nxt):
                return True  # 指引计划以…, 香港特区政府计划拨款: 计划 is a verb
        words = [w for w in self.segment(body) if w.strip()]
        inner_preposition = any(len(w) == 1 and w in INNER_PREPOSITIONS for w in words[1:])
        if inner_preposition or body[-1:] in INNER_PREPOSITIONS:
            return True  # 智能手柄往杯, 5G边缘云为项目: the type word is the object of a preposition
        if body[:1] in INNER_PREPOSITIONS and self.pos_tag(words[0]) in (None, "p", "l", "i"):
            return True  # 在思想上政治上行动(上)
        if any(len(w) >= 2 and all_stops(w, self.stops) for w in words[1:]):
            return True  # 地区积极开展数字乡村建设专项债项目: a verb that introduces a name
        if start_after_and(text, cand.start):
            return True  # 网络与信息安全技能大赛 read from 信息: the other half of a coordination
        only_names = all(self.pos_tag(w) in ("ns", "nt") for w in words)
        if self.pos_tag(words[-1]) in ("d", "ad") or only_names:
            return True  # 三部委迅速行动: an adverb; 加拿大工程: a place and a type word
        first = words[0] if words else ""
        rest = body[len(first) :]
        if self.pos_tag(first) == "v" and (not rest and cand.suffix != "工程"
                                           or rest and is_generic(rest, self.generic, self.segment)):
            return True  # 签订项目, 应对行动, 落地标杆项目 (点亮工程 stays)
        if cand.suffix in ("计划", "项目") and len(body) < 3:
            return True  # 旅行计划, 出海计划: too short to name one
        if cand.suffix == "项目" and not whole_line(text, cand.start, cand.end):
            # “project” is the commonest type word: a name needs two words of its own
            own = [w for w in words if len(w) >= 2 and has_han(w) and w not in self.generic
                   and self.pos_tag(w) != "ns"]
            return len(own) < 3
        return False

    def _title(self, name: str, source: str) -> bool:
        """True for an honorary title or a grade of a non-contest, not an award scheme.

        “最美科技志愿者”, “青年文明号集体” name who won, not what was run;
        大会一等奖 is a grade of a conference prize.
        """
        if _GRADE.search(name) and not _RANK.search(name):
            return True
        if source in ("quote-cue", "quote-head") and name.endswith(self.title_nouns):
            return True
        return bool(_ORG_END.search(name)) if source == "quote-cue" else bool(_BODY_END.search(name))

    def _verb_phrase(self, inner: str) -> bool:
        """True when a quoted name reads as a verb phrase (爱心不掉线), not a noun (联通碳生活)."""
        words = [w for w in self.segment(inner) if w.strip()]
        tags = [self.pos_tag(w) or "" for w in words]
        return bool(words) and (tags[-1] in ("v", "vi") and len(words[-1]) >= 2 or "d" in tags)

    def _is_slogan(self, name: str, allow_comma: bool = False) -> bool:
        name = canonical_form(name)
        if allow_comma:
            name = re.sub(r"[,，]", "", name)
        if name in self.slogans or _SLOGAN_MARKS.search(name):
            return True
        if re.search(r"\s\+|\+\s", name) or re.search(rf"[{HAN}]\+[{HAN}]", name):
            return True
        return not has_han(name) and not re.search(r"[A-Za-z]{3,}", name)

    def _mention(self, text: str, start: int, end: int, source: str) -> Mention | None:
        """Build a mention with canonical name and aliases for ``text[start:end]``."""
        while start < end and text[start] in " *":
            start += 1
        surface = text[start:end]
        name, aliases = base_name(surface)
        quoted = any(c in OPEN_QUOTES for c in surface)
        if junk_reason(strip_ordinal(_drop_group(name, self.groups)), quoted,
                       allow="，," if surface[:1] in OPEN_QUOTES else ""):
            return None
        if _NUMBER_QUOTE.match(name) or re.search(r"[两二三四五六七八九十]大|——|[0-9][万亿]?元", name) or (
            _RANKING.search(name)
        ):
            return None  # “千亿”, “数据二十条”; 三大工程, “五大体系”: a number or a count, not a name
        if "的" in name and not (surface[:1] in OPEN_QUOTES and surface[-1:] in CLOSE_QUOTES):
            return None  # 沃派“做我喜欢的”品牌: a phrase with 的 names only when quoted whole
        prefix = group_prefix(name, self.groups)
        if prefix:
            rest = name[len(prefix) :]
            if len(rest) >= 4 and not is_generic(rest, self.generic, self.segment):
                aliases.append(name)
                name = strip_ordinal(rest)
                if name != rest:
                    aliases.append(rest)
        rank = _RANK.search(name)
        if rank and rank.start() >= 2:
            # 鼎新杯一等奖: the prize of a contest names the contest
            aliases.append(name)
            name = name[: rank.start()]
        if not names_a_thing(name) or self._title(name, source):
            return None
        if name.count("(") != name.count(")") or surface.count("(") != surface.count(")"):
            return None
        aliases = [a for a in dict.fromkeys(aliases) if a != name]
        return Mention(
            start=start,
            end=end,
            label=LABEL,
            canonical=name,
            surface=surface,
            aliases=tuple(aliases),
            attrs={"source": f"programs.{source}"},
        )


def _counted(text: str, tokens: Tokens, start: int) -> bool:
    """True when a numeral with a measure word counts the name (37场, 两期)."""
    before = text[max(0, start - 6) : start].replace(" ", "")
    return bool(re.search(r"(?:[0-9]+|[一二三四五六七八九十两百几多数]+)余?[期场届次轮批]$", before))


def start_after_and(text: str, start: int) -> bool:
    """True when a name starts right after 与/和/及 that joins it to a noun before (网络与信息…)."""
    before = text[start - 2 : start]
    return len(before) == 2 and before[1] in "与和及" and has_han(before[0]) and before[0] not in "的、"


def _starts_quoted(text: str, start: int, quotes: list[Quote]) -> bool:
    return any(q.start == start for q in quotes)


def _drop_group(body: str, groups: tuple[str, ...]) -> str:
    prefix = group_prefix(body, groups)
    return body[len(prefix) :] if prefix else body


@Language.factory(
    "kg_programs",
    assigns=["doc._.kg_mentions"],
    default_config={
        "suffixes": "program_suffixes.txt",
        "stops": "program_left_stops.txt",
        "generic": "program_generic.txt",
        "slogans": "program_slogans.txt",
        "right_block": "program_right_block.txt",
        "platform_suffixes": "platform_suffixes.txt",
        "group_prefixes": "platform_group_prefixes.txt",
        "award_cues": "program_award_cues.txt",
        "cue_verbs": "program_cue_verbs.txt",
        "tech_words": "platform_tech_words.txt",
        "edge_words": "program_edge_words.txt",
        "title_nouns": "program_title_nouns.txt",
    },
)
def make_program_finder(
    nlp: Language,
    name: str,
    suffixes: str,
    stops: str,
    generic: str,
    slogans: str,
    right_block: str,
    platform_suffixes: str,
    group_prefixes: str,
    award_cues: str,
    cue_verbs: str,
    tech_words: str,
    edge_words: str,
    title_nouns: str,
) -> ProgramFinder:
    """Create the ``kg_programs`` component (lexicon file names are config)."""
    return ProgramFinder(
        suffixes, stops, generic, slogans, right_block, platform_suffixes, group_prefixes,
        award_cues, cue_verbs, tech_words, edge_words, title_nouns,
    )
