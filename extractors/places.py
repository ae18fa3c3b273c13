"""The ``kg_places`` component: named places in prepared (Simplified) text.

Finding is :meth:`PlaceRecognizer.match` (pure, returns :class:`kg.model.Mention`
records); writing is :meth:`PlaceRecognizer.set_annotations`. Rules, in order:

1. **Gazetteer names** (:class:`extractors.gazetteer.PlaceGazetteer`), leftmost
   longest. Full forms (福建省, 安溪县, 黔西南州) count unless a common word
   straddles their edge (沿海城市 is not 海城市). Province short forms count.
   Prefecture short forms count unless they are common words (安康, 日照);
   those, and county short forms (安溪), need context: a containing place right
   before (福建安溪), a cue word right after (安溪联通, 安溪等地), or the full
   form elsewhere in the text. A name followed by a street word (四平路) or
   by 们 (来宾们) is not a place.
2. **Ambiguous names** (five 鼓楼区) go to the sense whose province or
   prefecture is right before, else mentioned in the text, else to the higher
   level (吉林 the province); a tie leaves the mention without adcode and parent
   (``attrs["ambiguous"]`` lists the candidate adcodes).
3. **Names inside organisation names** (福建公司, 山东烟台联通, 青海省环保厅) are
   kept with ``attrs["in_org"] = True``. The home country (中国) is dropped when
   it prefixes a name (中国移动, 中国青年志愿者奖).
4. **Natural areas by pattern**: a name-like stem before 自然保护区, 国家公园,
   沙漠, 湿地, 草原, 山脉, 地区 ... (塔克拉玛干沙漠, 云中山自然保护区,
   三江源地区 -> 三江源); stems that are generic words (农村, 偏远, 西部) or
   common words in jieba's lexicon are not names. Two-character rivers (长江)
   count before 流域/沿岸-type words.
5. **Townships and villages**: a two-character stem before 镇/乡/村/街道 that is
   neither a common word nor part of one (乡村, 城中村, 村民), right after a
   county or township mention or standing on its own between function words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.gazetteer import (
    LEVEL_RANK,
    Hit,
    PlaceEntry,
    PlaceGazetteer,
    default_gazetteer,
    load_rules,
    word_lexicon,
)
from kg.model import Mention
from kg.textunits import HAN_RE

NAME_TAGS = ("ns", "nr", "nrt", "nz", "nt")
#: marks between the items of a list of places (甲村、乙村)
LIST_MARKS = "、和及"
#: levels of the places the township pattern finds
TOWN_LEVELS = ("township", "village")
#: A two-character word at a match's edge this frequent, and not a name, blocks the match.
EDGE_WORD_FREQ = 100
#: Titles of documents, films, songs: a place word inside is not a mention.
_TITLE = re.compile(r"《[^《》\n]{1,60}》")


def _occupancy(n: int, found: list[Mention]) -> bytearray:
    """A mask of the characters already covered by ``found``."""
    mask = bytearray(n)
    for m in found:
        mask[m.start:m.end] = b"\x01" * (m.end - m.start)
    return mask


def _is_han(ch: str) -> bool:
    return bool(HAN_RE.match(ch))


class PlaceRecognizer:
    """Find place mentions with the gazetteer, context rules and suffix patterns.

    Args:
        gazetteer: Places to match; the bundled one if None.
        rules: Context rules (``places_rules.json``); the bundled ones if None.
        lexicon: ``word -> (freq, tag)`` for edge checks; jieba's if None.
        keep_org_internal: Keep places seen only inside a non-branch organisation's
            name (陕西师范大学, 北京发改委); by default they are dropped, while
            places in branch names (福建公司, 烟台联通) are always kept.
    """

    def __init__(self, gazetteer: PlaceGazetteer | None = None, rules: dict | None = None,
                 lexicon: dict[str, tuple[int, str]] | None = None, keep_org_internal: bool = False) -> None:
        self.keep_org_internal = keep_org_internal
        self.gaz = gazetteer or default_gazetteer()
        self.rules = rules or load_rules()
        self.lex = word_lexicon() if lexicon is None else lexicon
        r = self.rules
        self.generic = set(r["generic_stems"])
        self.stop_chars = set(r["stop_chars"])
        self.function_chars = set(r["function_chars"])
        self.org_heads = sorted(r["org_heads"], key=len, reverse=True)
        self.branch_heads = sorted(r["branch_heads"], key=len, reverse=True)
        self.facility_heads = sorted(r["facility_heads"], key=len, reverse=True)
        self.context_after = sorted(r["place_context_after"], key=len, reverse=True)
        self.water_after = tuple(r["water_context_after"])
        self.person_after = tuple(r.get("person_after", ("们",)))
        self.home = r["home_country"]
        self.max_stem = int(r["max_stem"])
        nat = r["natural_suffixes"]
        self.natural_re = re.compile("|".join(sorted(map(re.escape, nat), key=len, reverse=True)))
        self.natural_kind = nat
        twn = r["township_suffixes"]
        self.township_re = re.compile("|".join(sorted(map(re.escape, twn), key=len, reverse=True)))
        self.township_kind = twn
        self.township_stem = tuple(r["township_chain_stem"])

    # ------------------------------------------------------------ spaCy API
    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` with its place mentions."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Mention]:
        """Place mentions of ``doc`` (pure: ``doc`` is not changed).

        Args:
            doc: A ``Doc`` of prepared Simplified text.

        Returns:
            Mentions ordered by start.
        """
        return self.match_text(doc_text(doc))

    def set_annotations(self, doc: Doc, found: Iterable[Mention]) -> None:
        """Append ``found`` to ``doc._.kg_mentions``.

        Args:
            doc: The annotated ``Doc``.
            found: Mentions from :meth:`match`.
        """
        mentions(doc).extend(found)

    # ------------------------------------------------------------ matching
    def match_text(self, text: str) -> list[Mention]:
        """Place mentions of a prepared text.

        Args:
            text: Simplified Chinese text.

        Returns:
            Mentions ordered by start, non-overlapping.
        """
        hits = self.gaz.scan(text)
        context = self._doc_context(text, hits)
        chosen: list[tuple[Hit, list[tuple[PlaceEntry, str]]]] = []
        by_start: dict[int, list[Hit]] = {}
        for h in hits:
            by_start.setdefault(h.start, []).append(h)
        i = 0
        prev: tuple[Hit, PlaceEntry] | None = None
        for start in sorted(by_start):  # left to right, skipping what a chosen name covers
            if start < i:
                continue
            picked = None
            for h in by_start[start]:
                adjacent = prev[1] if prev is not None and prev[0].end == h.start else None
                senses = self._valid_senses(text, h, adjacent, context)
                if senses:
                    picked = (h, senses)
                    break
            if picked is None:
                continue
            h, senses = picked
            entry = self._resolve(senses, prev[1] if prev and prev[0].end == h.start else None, context)
            chosen.append((h, senses if entry is None else [(entry, senses[0][1])]))
            prev = (h, entry if entry is not None else senses[0][0])
            i = h.end
        in_title = bytearray(len(text))
        for mo in _TITLE.finditer(text):
            in_title[mo.start():mo.end()] = b"\x01" * (mo.end() - mo.start())
        chosen = [(h, s) for h, s in chosen if not in_title[h.start]]
        out = [self._mention(text, h, senses) for h, senses in chosen]
        out = self._mark_in_org(text, out)
        out += self._natural_areas(text, out)
        out += self._townships(text, out)
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    def _doc_context(self, text: str, hits: list[Hit]) -> set[str]:
        """Keys of places named unambiguously in full form (or as provinces) in the text."""
        keys: set[str] = set()
        for h in hits:
            senses = [(e, f) for e, f in h.senses if f == "full" or e.level in ("province", "country")]
            if len(senses) == 1 and self._edges_ok(text, h, senses[0][0]):
                entry = senses[0][0]
                keys.add(entry.key)
                keys.update(a.key for a in self.gaz.ancestors(entry))
        return keys

    def _edges_ok(self, text: str, h: Hit, entry: PlaceEntry) -> bool:
        """False when a common word straddles the start or end of the hit (沿海城市, 东方市场)."""
        if h.start > 0:
            w = text[h.start - 1: h.start + 1]
            if self._common(w) and w not in self.generic:
                return False
        if h.end < len(text) and entry.level != "province":
            w = text[h.end - 1: h.end + 1]
            if self._common(w) and h.surface[-1] in "市区县":
                return False
        return True

    def _left_boundary(self, text: str, start: int) -> bool:
        """Whether a word can start at ``start`` (after punctuation, a function word or a word)."""
        if start == 0 or not _is_han(text[start - 1]) or text[start - 1] in self.function_chars:
            return True
        return any(text[start - k: start] in self.lex for k in (2, 3, 4) if start >= k)

    def _common(self, word: str) -> bool:
        """A frequent lexicon word that is not (mainly) a name; jieba tags 智慧, 文明 as nr."""
        info = self.lex.get(word)
        if info is None or info[0] < EDGE_WORD_FREQ:
            return False
        return info[1] not in NAME_TAGS or (info[1] != "ns" and info[0] >= 500)

    def _covered(self, text: str, start: int, end: int) -> bool:
        """Whether a longer common word or idiom covers ``[start, end)`` (长治久安, 天南海北, 平台)."""
        for a in range(max(0, start - 3), start + 1):
            for b in range(max(end, a + 2), min(len(text), a + 4) + 1):
                if (a, b) != (start, end) and a <= start and b >= end and self._common(text[a:b]):
                    return True
        tail = self.lex.get(text[end - 1:end + 1]) if end < len(text) else None
        if tail is not None and tail[0] >= 1000 and tail[1] not in NAME_TAGS:  # 四平|台 in 四平台
            return True
        return False

    def _crosses(self, text: str, pos: int) -> bool:
        """Whether a lexicon word runs across position ``pos`` (农产品 across 农产|品出村)."""
        for a in range(max(0, pos - 3), pos):
            for b in range(pos + 1, min(len(text), a + 4) + 1):
                info = self.lex.get(text[a:b])
                if info is not None and info[0] >= 20:
                    return True
        return False

    def _followed_by(self, text: str, end: int, words: list[str]) -> str | None:
        """The first of ``words`` that starts at ``end`` as a whole word (大学 but not 大学城)."""
        for w in words:
            if text.startswith(w, end):
                longer = [text[end:end + k] for k in range(len(w) + 1, len(w) + 3)]
                # only a word in common use hides the head (路口 hides 路; the rare 路校 does not)
                if any(self._known(x) and len(x) == k and not x.endswith(tuple(words))
                       for k, x in zip(range(len(w) + 1, len(w) + 3), longer, strict=True)):
                    continue
                return w
        return None

    def _valid_senses(self, text: str, h: Hit, adjacent: PlaceEntry | None,
                      context: set[str]) -> list[tuple[PlaceEntry, str]]:
        """Senses of ``h`` that the context allows (empty: not a place here)."""
        if text.startswith(self.person_after, h.end):
            return []  # 来宾们: a person noun, not the city
        out = []
        for entry, form in h.senses:
            if entry.needs_context:
                if text.startswith(self.water_after, h.end):
                    out.append((entry, form))
                continue
            if self._followed_by(text, h.end, self.facility_heads):
                continue
            if entry.canonical == self.home and entry.level == "country":
                nxt = text[h.end: h.end + 4].lstrip()[:1]
                if nxt and _is_han(nxt) and nxt not in self.function_chars:
                    continue
            if adjacent is None and not self._edges_ok(text, h, entry):
                continue
            ancestors = {a.key for a in self.gaz.ancestors(entry)}
            after_ancestor = adjacent is not None and adjacent.key in ancestors
            if form == "full" and len(h.surface) == 2 and h.surface[0] in self.function_chars:
                if after_ancestor:  # 和县 only as 安徽和县
                    out.append((entry, form))
                continue
            if form == "full" or entry.level in ("province", "country", "city", "natural"):
                out.append((entry, form))
                continue
            # short form of a prefecture or county
            if self._covered(text, h.start, h.end):
                continue
            if after_ancestor or entry.key in context:
                out.append((entry, form))
            elif entry.risky or not self._left_boundary(text, h.start):
                continue
            elif self._followed_by(text, h.end, self.context_after):
                out.append((entry, form))
            elif entry.level == "prefecture" and not entry.risky:
                out.append((entry, form))
            elif (entry.level == "county" and len(h.surface) >= 3 and not entry.risky
                  and len(h.senses) == 1):
                out.append((entry, form))
        return out

    def _resolve(self, senses: list[tuple[PlaceEntry, str]], adjacent: PlaceEntry | None,
                 context: set[str]) -> PlaceEntry | None:
        """Pick one sense of an ambiguous name, or None when context cannot decide."""
        entries = list(dict.fromkeys(e for e, _ in senses))
        if len(entries) == 1:
            return entries[0]
        if adjacent is not None:
            near = [e for e in entries if adjacent.key in {a.key for a in self.gaz.ancestors(e)}]
            if len(near) == 1:
                return near[0]
            entries = near or entries
        in_text = [e for e in entries if e.key in context
                   or any(a.key in context and a.level != "country" for a in self.gaz.ancestors(e))]
        if len(in_text) == 1:
            return in_text[0]
        entries = in_text or entries
        best = min(LEVEL_RANK[e.level] for e in entries)
        top = [e for e in entries if LEVEL_RANK[e.level] == best]
        return top[0] if len(top) == 1 else None

    def _mention(self, text: str, h: Hit, senses: list[tuple[PlaceEntry, str]]) -> Mention:
        """Build the mention of a chosen hit."""
        entries = list(dict.fromkeys(e for e, _ in senses))
        if len(entries) == 1:
            e = entries[0]
            parent = self.gaz.parent(e)
            attrs = {"place_level": e.level, "source": "gazetteer"}
            if e.adcode:
                attrs["adcode"] = e.adcode
            if e.iso:
                attrs["iso"] = e.iso
            if parent is not None:
                attrs["parent"] = parent.canonical
            aliases = tuple(a for a in e.names if a != e.canonical)
            return Mention(h.start, h.end, "PLACE", e.canonical, h.surface, aliases, attrs)
        # ambiguous: keep the name, no hierarchy
        e = entries[0]
        names = {a for x in entries for a in x.names if h.surface in a or a in h.surface}
        canonical = next((x.canonical for x in entries if x.canonical), h.surface)
        attrs = {"place_level": e.level if all(x.level == e.level for x in entries) else "unknown",
                 "source": "gazetteer", "ambiguous": sorted(x.key for x in entries)}
        return Mention(h.start, h.end, "PLACE", canonical, h.surface,
                       tuple(sorted(names - {canonical})), attrs)

    def _mark_in_org(self, text: str, found: list[Mention]) -> list[Mention]:
        """Flag places that begin an organisation's name (福建公司, 山东烟台联通).

        Places only seen inside a non-branch organisation's name (陕西师范大学)
        are dropped unless ``keep_org_internal``.
        """
        for k in range(len(found) - 1, -1, -1):
            m = found[k]
            nxt = found[k + 1] if k + 1 < len(found) else None
            if self._followed_by(text, m.end, self.branch_heads):
                m.attrs["in_org"] = True
            elif self._followed_by(text, m.end, self.org_heads):
                m.attrs["in_org"] = True
                m.attrs["org_internal"] = True
            elif nxt is not None and nxt.start == m.end and nxt.attrs.get("in_org"):
                m.attrs["in_org"] = True
                if nxt.attrs.get("org_internal"):
                    m.attrs["org_internal"] = True
        if self.keep_org_internal:
            return found
        standalone = {m.canonical for m in found if not m.attrs.get("org_internal")}
        return [m for m in found if not m.attrs.get("org_internal") or m.canonical in standalone]

    # ------------------------------------------------------------ patterns
    def _name_stem(self, text: str, end: int, floor: int) -> int:
        """Start of the name-like stem ending at ``end`` (``end`` if none).

        Words are read right to left with jieba's lexicon (longest known word
        ending at each point); a common word, a stop character or ``floor``
        ends the stem.
        """
        i = end
        lo = max(floor, end - self.max_stem)
        while i > lo:
            ch = text[i - 1]
            if ch in self.stop_chars or not _is_han(ch):
                break
            word = None
            for k in range(min(4, i - lo), 1, -1):
                w = text[i - k: i]
                if w in self.lex:
                    word = w
                    break
            if word is not None:
                freq, tag = self.lex[word]
                if tag not in NAME_TAGS and freq >= 20:
                    break
                i -= len(word)
            else:
                i -= 1
        return i

    def _natural_areas(self, text: str, found: list[Mention]) -> list[Mention]:
        """Named areas by suffix: 塔克拉玛干沙漠, 云中山自然保护区, 三江源地区."""
        taken = _occupancy(len(text), found)
        ends = {m.end: m for m in found}
        out = []
        for mo in self.natural_re.finditer(text):
            s, e = mo.start(), mo.end()
            if any(taken[s:e]):
                continue
            floor = s
            while floor > max(0, s - self.max_stem) and not taken[floor - 1]:
                floor -= 1
            start = self._name_stem(text, s, floor)
            while start < s and self._crosses(text, start):
                start += 1
            stem = text[start:s]
            if len(stem) < 2 or stem in self.generic or any(g in stem for g in self.generic if len(g) >= 2):
                continue
            if stem in self.lex and self.lex[stem][1] not in NAME_TAGS:
                continue
            suffix = mo.group()
            if self.natural_kind[suffix] == "region":
                canonical, aliases = stem, (stem + suffix,)
            else:
                canonical, aliases = stem + suffix, ()
            attrs = {"place_level": "natural", "source": "pattern"}
            before = ends.get(start)
            if before is not None:
                attrs["parent"] = before.canonical
            out.append(Mention(start, e, "PLACE", canonical, text[start:e], aliases, attrs))
            taken[start:e] = b"\x01" * (e - start)
        return out

    def _townships(self, text: str, found: list[Mention]) -> list[Mention]:
        """Towns and villages: 板万村 (two-character stems); 龙泉关村, 乙丙丁村 in a chain or a list."""
        taken = _occupancy(len(text), found)
        ends = {m.end: m for m in found}
        out = []
        for mo in self.township_re.finditer(text):
            s, e = mo.start(), mo.end()
            suffix = mo.group()
            before = self._township_anchor(text, s, ends)
            start = before.end + (text[before.end] in LIST_MARKS) if before is not None else s - 2
            if start < 0 or any(taken[start:e]) or before is None and start in ends:
                continue  # (a place right before a two-character stem that is not a county: no town)
            stem = text[start:s]
            if not all(_is_han(c) and c not in self.stop_chars for c in stem) or self._crosses(text, start):
                continue
            if stem in self.generic or self._common(stem) or any(
                    self._known(w) for w in (stem[-1] + suffix, stem + suffix)):
                continue
            if e < len(text) and self._known(suffix[-1] + text[e]):
                continue
            prev_ch = text[start - 1] if start > 0 else ""
            if before is None and prev_ch and _is_han(prev_ch) and prev_ch not in self.function_chars \
                    and not self._common(text[start - 2: start] if start >= 2 else ""):
                continue
            attrs = {"place_level": self.township_kind[suffix], "source": "pattern"}
            if before is not None and text[before.end] not in LIST_MARKS:
                attrs["parent"] = before.canonical
            m = Mention(start, e, "PLACE", stem + suffix, text[start:e], (), attrs)
            out.append(m)
            ends[e] = m
            taken[start:e] = b"\x01" * (e - start)
        return out

    def _township_anchor(self, text: str, s: int, ends: dict[int, Mention]) -> Mention | None:
        """The place a town or village whose suffix starts at ``s`` follows in an address chain or a list.

        ``X县`` or ``X镇`` right before a stem of ``township_stem`` characters
        (阜平县|龙泉关|镇), or a town or village and a list mark before it
        (甲村、|乙丙|村): the stem is then exactly what lies between.
        """
        low, high = self.township_stem
        for n in range(high, low - 1, -1):
            if not self._town_stem(text[max(0, s - n) : s]):
                continue
            m = ends.get(s - n)
            if m is not None and m.attrs.get("place_level") in ("county", "township"):
                return m
            m = ends.get(s - n - 1)
            if m is not None and text[s - n - 1] in LIST_MARKS and m.attrs.get("place_level") in TOWN_LEVELS:
                return m
        return None

    def _town_stem(self, stem: str) -> bool:
        """True when ``stem`` can name a town in a chain: Han, no function characters, no word first."""
        return (
            all(_is_han(c) and c not in self.stop_chars and c not in self.function_chars for c in stem)
            and not self._common(stem[:2])
        )

    def _known(self, word: str) -> bool:
        return word in self.lex and self.lex[word][0] >= 5


@Language.factory(
    "kg_places",
    assigns=["doc._.kg_mentions"],
    default_config={"data_dir": None, "keep_org_internal": False},
)
def make_place_recognizer(nlp: Language, name: str, data_dir: str | None,
                          keep_org_internal: bool) -> PlaceRecognizer:
    """Create the ``kg_places`` component.

    Args:
        nlp: The pipeline.
        name: Component name.
        data_dir: Folder with the place lexicons and rules; None for the bundled data.
        keep_org_internal: Keep places seen only inside non-branch organisation names.

    Returns:
        The component.
    """
    return PlaceRecognizer(default_gazetteer(data_dir), load_rules(data_dir),
                           keep_org_internal=keep_org_internal)
