"""The ``kg_measurements`` component: figures tied to the entities of a passage.

``match(doc)`` is pure: it reads the text, ``doc._.kg_mentions`` and
``doc._.kg_meta`` and returns :class:`kg.model.MeasurementItem` records;
``set_annotations`` appends them to ``doc._.kg_measurements``.

Two readers share the work:

- **tables** broken out of PDFs: a header ``指标名称 2018 2019 2020`` and rows
  ``互联网骨干带宽（Tbps） 217 302 347`` (or the label on lines of its own
  above a line of values). The unit and its multiplier come from the label's
  parentheses (``（万个）``), the years from the header (right-aligned), or,
  without a header, the last column is the document's year;
- **glued tables**: the same tables where PDF extraction left no space between
  the cells (``成本费用合计1,375.491.45%1,350.293.15%``), read back into cells
  by :mod:`extractors.measurements.glued`;
- **running text**: every figure with a unit (:func:`extractors.numbers.find_numbers`).

The subject of a running-text figure is, in order: a program named right
after it (``两期“…示范班”``, ``为…近百万名客户提供“爱心不掉线”``); the nearest
entity before it in its clause (unless that entity is one of the names the
figure counts, ``A和B 4所高校``, or an invited organisation whose people count
for the program); a program or platform of the clause up to its commas
(``依托渝益农平台融合…、…服务超过1,000万人次``); the first entity of its
sentence, or the program of the sentence when that entity is the publisher,
a row label or another organisation; a program earlier in the sentence; the
program or platform of the previous sentence of the paragraph; an entity in
the heading line just above; the publisher, only in a passage that names it.

Places are never subjects, nor are cited sources (``来源：…``, ``根据X数据``),
names nested in longer names, or ``区县公司``-like companies read as the
publisher. Skipped: figures in target or plan sentences (``到2025年``,
``计划``, ``力争``), inside entity names (``我爱读书100天``), about a person
(``X公司员工王勇…``), about an unnamed thing (``该基站…``), a country or an
industry (``我国…``, ``三大电信运营企业…``), listed items (``A、B、C分别为…``),
benchmarks (``高于行业平均的3.6%``) and per-unit prices (``元/分钟``). In a
white paper (running headers ``…白皮书（2024年）``) a figure keeps only a
subject named in its own sentence.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text
from extractors import mentions as doc_mentions
from extractors.lexicon import alternation
from extractors.measurements.glued import read_glued
from extractors.numbers import (
    DATA_DIR,
    NumberLexicon,
    ParsedNumber,
    default_lexicon,
    find_numbers,
    format_decimal,
)
from kg.model import MeasurementItem, Mention
from kg.textunits import CLAUSE_BREAKS, ENUMERATION_COMMA, FULL_STOPS, HAN, HAN_RE, SENTENCE_END

SUBJECT_LABELS = ("ORG", "SUBSIDIARY", "PROGRAM", "PLATFORM")
#: a running-text figure, the rules' record of it (``None``: skipped) and the rule that decided
Proposal = tuple[ParsedNumber, MeasurementItem | None, str]
# subject rules that read the figure's own sentence (see MeasurementParser._subject)
_IN_SENTENCE_RULES = frozenset(
    {
        "after",
        "beneficiaries",
        "clause",
        "members-of",
        "wide-clause",
        "sentence",
        "publisher-program",
        "near-program",
        "sentence-program",
        "parallel",
    }
)
_CLAUSE_END = CLAUSE_BREAKS + ENUMERATION_COMMA + "\t"
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_CELL = r"(?:19|20)\d{2}[ \t]*年?"
_HEADER_RE = re.compile(
    rf"^(?P<label>[^\d]{{0,16}}?)[ \t]*(?P<years>(?:{_YEAR_CELL}[ \t]+)+{_YEAR_CELL})[ \t]*$"
)
_CELL = r"(?:-?\d[\d,]*(?:\.\d+)?%?|/|—|-)"
_ROW_RE = re.compile(rf"^(?P<label>.*?)[ \t\u3000]*(?P<cells>(?:{_CELL}[ \t\u3000]+)+{_CELL})[ \t\u3000]*$")
_PAREN_UNIT_RE = re.compile(r"[（(](?P<unit>[^（）()]{1,8})[）)][ \t]*\d?[ \t]*$")


@dataclass(frozen=True)
class MeasurementCues:
    """Cue words read from ``data/measure_cues.json``."""

    target: re.Pattern
    target_exempt: tuple[str, ...]
    year_relative: dict
    year_comparison_before: tuple[str, ...]
    trim_prefix: re.Pattern
    trim_suffix: tuple[str, ...]
    person_after_subject: re.Pattern
    subject_lead_in: re.Pattern
    person_pronouns: re.Pattern
    demonstrative: re.Pattern
    citation_before: tuple[str, ...]
    implicit_not_after: tuple[str, ...]
    scope_subject: re.Pattern
    reference_before: tuple[str, ...]
    survey_document: re.Pattern
    place_works: re.Pattern
    #: what may stand between a figure and the program it counts (两期“…示范班”)
    program_after: re.Pattern
    #: what may stand between a figure of people and the program they benefit from
    beneficiaries_after: re.Pattern
    person_units: tuple[str, ...]
    member_units: tuple[str, ...]
    venue_after: tuple[str, ...]
    multiplier_exempt_units: tuple[str, ...]

    @classmethod
    def from_disk(cls, path: Path = DATA_DIR) -> MeasurementCues:
        """Read ``measure_cues.json`` from ``path``."""
        cues = json.loads((path / "measure_cues.json").read_text(encoding="utf-8"))
        return cls(
            target=re.compile("|".join(cues["target"])),
            target_exempt=tuple(cues.get("target_exempt", ())),
            year_relative=dict(cues.get("year_relative", {})),
            year_comparison_before=tuple(cues.get("year_comparison_before", ())),
            trim_prefix=re.compile(r"^(?:" + "|".join(cues["indicator_trim_prefix"]) + r")"),
            trim_suffix=tuple(sorted(cues["indicator_trim_suffix"], key=len, reverse=True)),
            person_after_subject=re.compile(cues["person_after_subject"]),
            subject_lead_in=re.compile(
                r"(?:" + "|".join(cues["subject_lead_in"]) + r"|[\s,，、:：*“「\"-•])*"
            ),
            person_pronouns=re.compile(cues["person_pronouns"]),
            demonstrative=re.compile(cues["demonstrative"]),
            citation_before=tuple(cues.get("citation_before", ())),
            implicit_not_after=tuple(cues.get("implicit_not_after", ())),
            scope_subject=re.compile(cues["scope_subject"]),
            reference_before=tuple(cues.get("reference_before", ())),
            survey_document=re.compile(cues["survey_document"]),
            place_works=re.compile(cues["place_works"]),
            program_after=re.compile(
                r"[ \t“「『\"*]*(?:" + alternation(cues.get("program_verbs_after", ())) + r")?[ \t“「『\"*]*"
            ),
            beneficiaries_after=re.compile(
                rf"[{HAN}]{{0,6}}(?:{alternation(cues.get('beneficiary_verbs', ()))})[ \t“「『\"*]*"
            ),
            person_units=tuple(cues.get("person_units", ())),
            member_units=tuple(cues.get("member_units", ())),
            venue_after=tuple(cues.get("venue_after", ())),
            multiplier_exempt_units=tuple(cues.get("multiplier_exempt_units", ())),
        )


@Language.factory(
    "kg_measurements",
    assigns=["doc._.kg_measurements"],
    requires=["doc._.kg_mentions", "doc._.kg_meta"],
    default_config={"data_dir": None},
)
def make_measurement_parser(nlp: Language, name: str, data_dir: str | None) -> MeasurementParser:
    """Build the ``kg_measurements`` component.

    Args:
        nlp: The pipeline.
        name: Component name.
        data_dir: Folder with ``measure_units.json`` and ``measure_cues.json``;
            the shipped ``extractors/data`` when ``None``.

    Returns:
        The component.
    """
    return MeasurementParser(name, Path(data_dir) if data_dir else None)


class MeasurementParser:
    """Finds figures and ties each to a subject entity, a year, a unit and an indicator."""

    def __init__(self, name: str = "kg_measurements", data_dir: Path | None = None) -> None:
        """Load the unit lexicon and cue words.

        Args:
            name: Component name.
            data_dir: Folder of the data files; the shipped one when ``None``.
        """
        self.name = name
        self.lexicon: NumberLexicon = NumberLexicon.from_disk(data_dir) if data_dir else default_lexicon()
        self.cues = MeasurementCues.from_disk(data_dir or DATA_DIR)
        # {figure start: name of the subject rule}, filled when set to a dict (diagnostics)
        self.trace: dict | None = None

    def __call__(self, doc: Doc) -> Doc:
        """Find the figures of ``doc`` and append them to ``doc._.kg_measurements``."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def set_annotations(self, doc: Doc, items: list[MeasurementItem]) -> None:
        """Append ``items`` to ``doc._.kg_measurements``.

        Args:
            doc: The document.
            items: Records from :meth:`match`.
        """
        doc_mentions(doc)  # creates the record lists when the component runs alone
        doc._.kg_measurements.extend(items)

    # ------------------------------------------------------------------ find
    def match(self, doc: Doc) -> list[MeasurementItem]:
        """Find the figures of ``doc`` (pure: ``doc`` is not changed).

        Args:
            doc: A ``Doc`` whose ``kg_mentions`` and ``kg_meta`` are set.

        Returns:
            One :class:`MeasurementItem` per figure tied to a subject, in text order.
        """
        ctx = self.context(doc)
        items, consumed = self._tables(ctx)
        items += self._prose(ctx, consumed)
        items.sort(key=lambda it: (it.start, it.end))
        return items

    def _usable(self, text: str, mentions) -> list[Mention]:
        """Mentions that can be subjects or context: not cited sources, not 区县公司 read as the publisher."""
        out = []
        for m in mentions:
            head = text[max(0, m.start - 6) : m.start].rstrip(" \t")
            if any(head.endswith(c) for c in self.cues.citation_before):
                continue  # 来源：中国信息通信研究院 cites a source
            if m.implicit and any(head.endswith(c) for c in self.cues.implicit_not_after):
                continue  # 区县公司, 子公司: some other company
            out.append(m)
        return out

    # ---------------------------------------------------------------- tables
    def _tables(self, ctx: MeasurementContext) -> tuple[list[MeasurementItem], list[tuple[int, int]]]:
        items: list[MeasurementItem] = []
        consumed: list[tuple[int, int]] = []
        years: list[int] = []
        lines = ctx.lines
        for i, (ls, le) in enumerate(lines):
            line = ctx.text[ls:le]
            header = _HEADER_RE.match(line)
            if header:
                found = [int(y) for y in re.findall(r"(?:19|20)\d{2}", header.group("years"))]
                if found == sorted(found):
                    years = found
                    consumed.append((ls, le))
                continue
            row = _ROW_RE.match(line)
            if not row:
                continue
            cells = row.group("cells").split()
            label = row.group("label").strip(" \t*")
            label_start, label_end = ls + row.start("label"), ls + row.end("label")
            if label:
                if not HAN_RE.search(label) or len(label) > 40 or "。" in label or label[-1] in "，,":
                    continue
                if not (_PAREN_UNIT_RE.search(label) or years) and len(cells) < 3:
                    continue
            else:
                block = _label_block(ctx, i)
                if block is None:
                    continue
                label_start, label_end = block
                label = ctx.text[label_start:label_end]
            if sum(c not in ("/", "—", "-") for c in cells) == 0:
                continue
            consumed.append((label_start, le))
            items += self._table_row(
                ctx, label, label_start, label_end, cells, ls + row.start("cells"), years
            )
        glued, spans = read_glued(ctx.text, ctx.publisher, ctx.subject_in, ctx.year, consumed)
        return items + glued, consumed + spans

    def _table_row(self, ctx, label, label_start, label_end, cells, cells_start, years):
        unit, multiplier = "", 1
        paren = _PAREN_UNIT_RE.search(label)
        indicator = label
        if paren:
            unit, multiplier = self._split_unit(paren.group("unit"))
            indicator = label[: paren.start()]
        indicator = re.sub(r"\s+", "", indicator).strip("*-•·")
        subject = ctx.subject_in(label_start, label_end) or ctx.publisher(label_start)
        if subject is None:
            return []
        n = len(cells)
        if years and n <= len(years):
            col_years: list[int | None] = list(years[-n:])
        elif ctx.year:
            col_years = [ctx.year - (n - 1 - k) for k in range(n)]
        else:
            col_years = [None] * n
        out = []
        pos = cells_start
        for cell, year in zip(cells, col_years, strict=True):
            start = ctx.text.find(cell, pos)
            pos = start + len(cell)
            if cell in ("/", "—", "-"):
                continue
            cell_unit = "%" if cell.endswith("%") else unit
            try:
                value = Decimal(cell.rstrip("%").replace(",", "")) * multiplier
            except InvalidOperation:
                continue
            out.append(
                MeasurementItem(subject, format_decimal(value), cell_unit, year, indicator, start, pos)
            )
        return out

    def _split_unit(self, text: str) -> tuple[str, int]:
        text = text.strip()
        if text in self.lexicon.multipliers:
            return "", self.lexicon.multipliers[text]  # 物联网智能连接数（百万）
        exempt = self.cues.multiplier_exempt_units
        for word, factor in self.lexicon.multipliers.items():
            if text.startswith(word) and len(text) > len(word) and not text.startswith(exempt):
                return self.lexicon.aliases.get(text[len(word) :], text[len(word) :]), factor
        return self.lexicon.aliases.get(text, text), 1

    # ----------------------------------------------------------------- prose
    def _prose(self, ctx: MeasurementContext, consumed: list[tuple[int, int]]) -> list[MeasurementItem]:
        out = []
        ctx.numbers = find_numbers(ctx.text, self.lexicon)
        for num in ctx.numbers:
            if any(s <= num.start < e for s, e in consumed):
                continue
            if ctx.inside_mention(num.start, num.end) or "upper" in num.attrs:
                continue  # a number in a name; a range (2-5%) is no single figure
            item = self._prose_item(ctx, num)
            if item is not None:
                out.append(item)
        return out

    def _prose_item(self, ctx: MeasurementContext, num: ParsedNumber) -> MeasurementItem | None:
        return self.prose_decision(ctx, num)[0]

    def prose_decision(
        self, ctx: MeasurementContext, num: ParsedNumber
    ) -> tuple[MeasurementItem | None, str]:
        """The rules' reading of one running-text figure and the name of the rule that decided.

        Args:
            ctx: The document context of :meth:`context`.
            num: A figure of ``find_numbers``.

        Returns:
            ``(item, rule)``; ``item`` is ``None`` where a rule skips the figure
            (``target``, ``reference``, ``person``, ...).
        """
        sent = ctx.sentence(num.start)
        clause = ctx.clause(num.start, sent)
        if self._is_target(ctx, sent[0], num.start):
            return None, "target"
        head = ctx.text[max(0, num.start - 8) : num.start].rstrip(" \t*")
        if head.endswith(self.cues.reference_before) or ctx.text.startswith("/", num.end):
            return None, "reference"  # 高于行业平均的3.6%: a benchmark; 2.86元/分钟: a price per unit
        subject, in_clause, rule = self._subject(ctx, num, sent, clause)
        if self.trace is not None:
            self.trace[num.start] = rule
        if subject is None:
            return None, rule
        if ("kinds" in num.attrs or ctx.survey) and rule not in _IN_SENTENCE_RULES:
            # 五大板块 counts kinds only when its sentence names whose they are; a white paper
            # reports on a whole industry, so a figure there is an entity's only when its sentence says so
            return None, "kinds" if "kinds" in num.attrs else "survey"
        if self._about_person(ctx, subject, sent):
            return None, "person"
        return self.item_for(ctx, num, subject, in_clause), rule

    def item_for(
        self, ctx: MeasurementContext, num: ParsedNumber, subject: Mention, in_clause: bool
    ) -> MeasurementItem:
        """The record of figure ``num`` about ``subject``: its year and indicator read around it."""
        sent = ctx.sentence(num.start)
        clause = ctx.clause(num.start, sent)
        year = self._year(ctx, num, sent)
        indicator = self._indicator(ctx, num, clause, subject if in_clause else None)
        return MeasurementItem(subject, num.value, num.unit, year, indicator, num.start, num.end)

    def context(self, doc: Doc) -> MeasurementContext:
        """The geometry and usable mentions of ``doc`` that the rules read."""
        text = doc_text(doc)
        ctx = MeasurementContext(text, self._usable(text, doc._.kg_mentions or ()), dict(doc._.kg_meta or {}))
        ctx.survey = bool(self.cues.survey_document.search(text))
        return ctx

    def proposals(self, doc: Doc) -> tuple[MeasurementContext, list[MeasurementItem], list[Proposal]]:
        """What the rules read of every figure of ``doc``: table rows, and each running-text figure.

        Returns:
            ``(ctx, table_items, prose)`` where ``prose`` holds ``(figure, item or None, rule)``
            for every running-text figure outside tables and names.
        """
        ctx = self.context(doc)
        table_items, consumed = self._tables(ctx)
        ctx.numbers = find_numbers(ctx.text, self.lexicon)
        prose = []
        for num in ctx.numbers:
            if any(s <= num.start < e for s, e in consumed):
                continue
            if ctx.inside_mention(num.start, num.end) or "upper" in num.attrs:
                continue
            item, rule = self.prose_decision(ctx, num)
            prose.append((num, item, rule))
        # numbers with neither unit nor multiplier (table cells the table reader did not take): no rule
        # reads them, the model may
        seen = {n.start for n, _, _ in prose} | {it.start for it in table_items}
        for num in find_numbers(ctx.text, self.lexicon, include_bare=True):
            if num.start in seen or ctx.inside_mention(num.start, num.end) or "upper" in num.attrs:
                continue
            prose.append((num, None, "bare"))
        prose.sort(key=lambda p: p[0].start)
        return ctx, table_items, prose

    def _is_target(self, ctx: MeasurementContext, sent_start: int, start: int) -> bool:
        # the target reading covers the whole sentence across ；: 到2020年，A下降15%；B不低于60%
        line_start = ctx.line_of(start)[0]
        head = ctx.masked[max(line_start, ctx.last_mark(FULL_STOPS, line_start, start) + 1) : start]
        for exempt in self.cues.target_exempt:
            head = head.replace(exempt, "□" * len(exempt))
        return bool(self.cues.target.search(head))

    def _subject(self, ctx, num, sent, clause) -> tuple[Mention | None, bool, str]:
        """The mention ``num`` is about, whether it is in ``num``'s clause, and the rule that chose it."""
        cands = ctx.candidates
        # a program named right after the figure is what is counted: 两期“…示范班”
        for m in cands:
            if (
                m.label == "PROGRAM"
                and num.end <= m.start <= num.end + 6
                and self.cues.program_after.fullmatch(ctx.text[num.end : m.start])
            ):
                return m, False, "after"
        if not any(clause[0] <= m.start and m.end <= num.start for m in cands):
            for m in cands:
                if (
                    m.label == "PROGRAM"
                    and num.end <= m.start <= clause[1]
                    and self.cues.beneficiaries_after.fullmatch(ctx.text[num.end : m.start])
                ):
                    return m, False, "beneficiaries"  # 为…近百万名客户提供“爱心不掉线”服务
        before = [
            m for m in cands if clause[0] <= m.start and m.end <= num.start and not self._listed(ctx, m)
        ]
        if before:
            m = before[-1]
            if self._counted_members(ctx, m, num):
                return None, False, "members"
            owner = self._members_of(ctx, m, num, sent)
            if owner is not None:
                return owner, False, "members-of"
            return m, True, "clause"
        if self.cues.person_pronouns.search(ctx.text, sent[0], num.start):
            return None, False, "person"  # 他组织并主持了百余次…: about a person
        if self._about_scope(ctx, sent, num):
            return None, False, "scope"  # 2023年全国农产品网络零售额…: a country or an industry
        if self._respectively(ctx, sent, num):
            return None, False, "respectively"  # 浪潮、戴尔、HPE分别以20.2%、13.8%: unnamed items
        if self.cues.demonstrative.match(ctx.text, ctx.clause(num.start, sent, enumeration=False)[0]) or (
            self.cues.demonstrative.match(ctx.text, sent[0])
        ):
            return None, False, "demonstrative"  # 该基站具备30公里…: an unnamed thing
        wide = ctx.clause(num.start, sent, enumeration=False)
        named_wide = [
            m
            for m in cands
            if wide[0] <= m.start
            and m.end <= num.start
            and m.label in ("PROGRAM", "PLATFORM")
            and not self._listed(ctx, m)
        ]
        if named_wide:
            # 依托渝益农平台融合新农活、…服务超过1,000万人次: the platform of the whole clause
            return named_wide[-1], False, "wide-clause"
        head = self._sentence_subject(ctx, sent[0], num.start)
        named = [
            m
            for m in cands
            if sent[0] <= m.start
            and m.end <= num.start
            and m.label in ("PROGRAM", "PLATFORM")
            and not self._listed(ctx, m)
            and not self._venue(ctx, m, sent)
        ]
        near = [m for m in named if _clause_gaps(ctx.masked[m.end : num.start]) <= 1]
        if head is not None:
            if head.label == "PLACE":
                between = ctx.text[head.end : num.start]
                if ctx.publisher_named and self.cues.place_works.search(between):
                    # …轮台县至且末县路段已覆盖5G基站20个: what the publisher built there
                    return ctx.publisher(num.start), False, "place-works"
                return None, False, "place"  # 北京在2022年软件业务收入…: a figure about a place
            if ctx.is_publisher(head) and named:
                # 我们协同…开展混合托盘升级项目，…降低15%: the program is what the figure is about
                return named[-1], False, "publisher-program"
            if head.label in ("PROGRAM", "PLATFORM") and self._counted_in_own_clause(ctx, head, sent, num):
                # 开展“赋能建功”技能竞赛11项，劳动竞赛2项: the program was counted, the rest is ours
                return ctx.publisher(num.start), False, "parallel"
            if near and near[-1].start > head.start and head.label in ("PROGRAM", "PLATFORM", "ORG"):
                # 乡村文化数智化工程 “我爱读书100天”活动吸引834万农民参加，人均阅读时长28小时
                return near[-1], False, "near-program"
            return head, False, "sentence"
        programs = [m for m in named if m.label == "PROGRAM"]
        if near or programs:
            # 共举办了37场悦读咖活动，累计公益配捐200万元
            return (near or programs)[-1], False, "sentence-program"
        # previous sentences of the same paragraph
        line = ctx.line_of(num.start)
        prev = [m for m in cands if line[0] <= m.start and m.end <= sent[0]]
        if prev:
            last_sent = ctx.sentence(prev[-1].start)
            head = self._sentence_subject(ctx, last_sent[0], last_sent[1])
            if head is not None and head.label in ("SUBSIDIARY", "PROGRAM", "PLATFORM"):
                return head, False, "prev-sentence"
            if head is not None and head.label == "ORG" and not ctx.is_publisher(head):
                return None, False, "prev-org"  # …ClearML调研显示…。如，瑞致达…: other organisations' news
            in_last = [m for m in prev if m.start >= last_sent[0]]
            named = [m for m in in_last if m.label in ("PROGRAM", "PLATFORM") and not m.implicit]
            if named:
                return named[-1], False, "prev-program"
            owners = [m for m in prev if m.label == "SUBSIDIARY" and self._opens_clause(ctx, m)]
            if ctx.is_publisher(in_last[0]) and owners:
                # 贵州联通党委…。支部…区县公司…。1989名党员…: the branch the paragraph is about
                return owners[-1], False, "paragraph-branch"
            return in_last[0], False, "prev-first"
        heading = ctx.heading_above(num.start)
        if heading is not None:
            hs = [m for m in cands if heading[0] <= m.start and m.end <= heading[1]]
            if hs:
                named = [m for m in hs if m.label in ("PROGRAM", "PLATFORM")]
                return (named[-1] if named else hs[0]), False, "heading"
        return ctx.publisher(num.start), False, "publisher"

    def _about_scope(self, ctx: MeasurementContext, sent, num: ParsedNumber) -> bool:
        """True when a clause of the sentence before ``num`` opens with 全国/我国/行业… as its subject."""
        pos = sent[0]
        while pos < num.start:
            cl = ctx.clause(pos, sent, enumeration=False)
            lead = self.cues.subject_lead_in.match(ctx.text, cl[0])
            if self.cues.scope_subject.match(ctx.text, lead.end() if lead else cl[0]):
                return True
            pos = cl[1] + 1
        return False

    def _respectively(self, ctx: MeasurementContext, sent, num: ParsedNumber) -> bool:
        """``A、B、C分别为…``: the figures belong to listed items that are no entities."""
        cl = ctx.clause(num.start, sent, enumeration=False)
        k = ctx.text.find("分别", cl[0], num.start)
        return k >= 0 and "、" in ctx.text[cl[0] : k]

    def _opens_clause(self, ctx: MeasurementContext, m: Mention) -> bool:
        """True when ``m`` is the grammatical subject of its clause (only lead-in words before it)."""
        sent = ctx.sentence(m.start)
        cl = ctx.clause(m.start, sent, enumeration=False)
        return bool(self.cues.subject_lead_in.fullmatch(ctx.text[cl[0] : m.start]))

    def _counted_members(self, ctx: MeasurementContext, m: Mention, num: ParsedNumber) -> bool:
        """``A（本部）和B（本部）4所高校``: the figure counts the listed names, it is none of theirs."""
        gap = ctx.text[m.end : num.start]
        person = num.unit in self.cues.person_units and re.fullmatch(rf"[{HAN}]{{2,3}}[ \t]*", gap)
        if not (person or re.fullmatch(r"[ \t”」』\"]*(?:[（(][^（）()]{1,10}[）)])?[ \t]*", gap)):
            return False
        lead = ctx.text[max(0, m.start - 12) : m.start]
        return bool(re.search(r"[、和及与][ \t]*$|[）)][ \t]*[、和及与，,][ \t]*$", lead))

    def _members_of(self, ctx: MeasurementContext, m: Mention, num: ParsedNumber, sent) -> Mention | None:
        """``邀请英国雷丁大学20余名师生…``: people of an invited organisation, counted for the program."""
        if m.label != "ORG" or ctx.is_publisher(m) or ctx.text[m.end : num.start].strip(" \t"):
            return None
        if num.unit not in self.cues.member_units:
            return None
        programs = [
            p for p in ctx.candidates if sent[0] <= p.start and p.end <= m.start and p.label == "PROGRAM"
        ]
        return programs[-1] if programs else None

    def _counted_in_own_clause(self, ctx: MeasurementContext, head: Mention, sent, num: ParsedNumber) -> bool:
        """True when ``head``'s clause (before ``num``'s) already holds a figure right after it."""
        cl = ctx.clause(head.start, sent)
        if cl[1] >= num.start:
            return False
        return any(head.end <= n.start and n.end <= cl[1] and n.start - head.end <= 8 for n in ctx.numbers)

    def _venue(self, ctx: MeasurementContext, m: Mention, sent) -> bool:
        """``在“绽放杯”标杆赛中，中国联通荣获金奖2个``: a competition is where the figure was won."""
        cl = ctx.clause(m.start, sent, enumeration=False)
        after = ctx.text[m.end : m.end + 2]
        return "在" in ctx.text[cl[0] : m.start] and after.startswith(self.cues.venue_after)

    def _listed(self, ctx: MeasurementContext, m: Mention) -> bool:
        """``「A」「B」等11项荣誉``: A and B are members of what is counted, not its owner."""
        return bool(
            re.match(
                rf"[{HAN}]{{0,4}}(?:[」”』\"\s]*、[^、，。；,;]{{1,15}}?)+[」”』\"\s]*等|[」”』\"\s]*等",
                ctx.text[m.end : m.end + 80],
            )
        )

    def _sentence_subject(self, ctx: MeasurementContext, start: int, end: int) -> Mention | None:
        """The first mention (places included) that opens a clause of ``[start, end)``.

        Time phrases, connectives and program verbs (``深化实施``) may come before it.
        """
        for m in ctx.mentions:
            if not (start <= m.start and m.end <= end):
                continue
            if m.label not in SUBJECT_LABELS and m.label != "PLACE" or self._listed(ctx, m):
                continue
            cl = ctx.clause(m.start, (start, end), enumeration=False)
            lead = ctx.text[cl[0] : m.start]
            if self.cues.subject_lead_in.fullmatch(lead):
                if m.label == "PLACE" and lead.rstrip().endswith("在"):
                    continue
                return m
        return None

    def _about_person(self, ctx, subject: Mention, sent) -> bool:
        if subject.implicit or not (sent[0] <= subject.start < sent[1]):
            return False
        return bool(self.cues.person_after_subject.match(ctx.text, subject.end))

    def _year(self, ctx, num: ParsedNumber, sent) -> int | None:
        line = ctx.line_of(num.start)
        year = None
        for m in _YEAR_RE.finditer(ctx.text, line[0], num.start):
            head = ctx.text[max(line[0], m.start() - 3) : m.start()]
            if any(head.rstrip().endswith(c) for c in self.cues.year_comparison_before):
                continue
            if ctx.text[m.end() : m.end() + 2] == "以前":
                continue
            year = int(m.group(1))
        year = year or ctx.year
        clause = ctx.clause(num.start, sent)
        head = ctx.text[clause[0] : num.start]
        for word, delta in self.cues.year_relative.items():
            k = head.find(word)
            if k >= 0 and year and not head[:k].rstrip().endswith(self.cues.year_comparison_before):
                return year + int(delta)  # but 比去年同期上升28%: this year's figure, compared
        return year

    def _indicator(self, ctx, num: ParsedNumber, clause, subject: Mention | None) -> str:
        start = max(clause[0], subject.end) if subject is not None else clause[0]
        text = _clean(ctx.text[start : num.start])
        text = self.cues.trim_prefix.sub("", text)
        text = self.cues.trim_prefix.sub("", text.lstrip("，,：:的"))
        changed = True
        while changed and text:
            changed = False
            for suffix in self.cues.trim_suffix:
                if text.endswith(suffix) and len(text) > len(suffix):
                    text, changed = text[: -len(suffix)], True
                    break
        if not text:
            after = _clean(ctx.text[num.end : clause[1]])
            text = after[:16]
        if not text or len(text) < 2:
            heading = ctx.heading_above(num.start)
            if heading is not None:
                text = _clean(ctx.text[heading[0] : heading[1]])
        return text[-24:]


def _clause_gaps(text: str) -> int:
    """Number of clause breaks in ``text`` (，；： but not 、)."""
    return sum(ch in "，,；;：:" for ch in text)


def _clean(text: str) -> str:
    return re.sub(r"[\s*“”「」『』\"]+", "", text).strip("，,、：:；;-•·（）()")


def _label_block(ctx: MeasurementContext, i: int) -> tuple[int, int] | None:
    """The label of a values-only line: the short lines just above it.

    Lines are taken upwards until a blank line, another row or header, a
    sentence, or a line closing a unit parenthesis (the end of the previous label).
    """

    def line(k: int) -> str:
        return ctx.text[ctx.lines[k][0] : ctx.lines[k][1]]

    j = i - 1
    while j >= 0 and line(j).strip() == "" and i - j <= 2:
        j -= 1
    if j < 0 or not line(j).strip() or _is_table_line(line(j)):
        return None
    first = j
    while first - 1 >= 0 and j - first < 2:
        above = line(first - 1).strip()
        if (
            not above
            or _is_table_line(above)
            or "。" in above
            or above.endswith(("）", ")"))
            or len(above) > 24
        ):
            break
        first -= 1
    start, end = ctx.lines[first][0], ctx.lines[j][1]
    label = ctx.text[start:end]
    if not HAN_RE.search(label) or "。" in label or len(label.strip()) > 48:
        return None
    return start, end


def _is_table_line(line: str) -> bool:
    return bool(_ROW_RE.match(line) or _HEADER_RE.match(line))


class MeasurementContext:
    """Text geometry and mentions of one document, computed once per ``match``."""

    def __init__(self, text: str, mentions: list[Mention], meta: dict) -> None:
        self.text = text
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        # a name inside a longer one (IFF in 「第五届IFF全球绿色金融创新奖」) is no subject of its own
        self.candidates = [
            m
            for m in self.mentions
            if m.label in SUBJECT_LABELS
            and not any(
                o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start and not o.implicit
                for o in self.mentions
            )
        ]
        self.meta = meta
        self.numbers: list[ParsedNumber] = []
        self.survey = False  # a white paper or industry report (running headers)
        self.year = meta.get("year")
        self.publisher_name = meta.get("publisher")
        self.publisher_named = any(self.is_publisher(m) for m in self.candidates)
        masked = list(text)
        for m in self.mentions:
            if not m.implicit:
                masked[m.start : m.end] = "□" * (m.end - m.start)
        self.masked = "".join(masked)
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for part in text.split("\n"):
            self.lines.append((pos, pos + len(part)))
            pos += len(part) + 1
        self._line_starts = [s for s, _ in self.lines]
        self._marks: dict[str, list[int]] = {}
        self._name_counts: dict[str, int] | None = None

    def line_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self._line_starts, pos) - 1
        if k >= 0 and pos <= self.lines[k][1]:
            return self.lines[k]
        return 0, len(self.text)

    def _mark_offsets(self, chars: str) -> list[int]:
        """Offsets of ``chars`` in the masked text, in order (found once per set of characters)."""
        offsets = self._marks.get(chars)
        if offsets is None:
            pattern = "[" + re.escape(chars) + "]"
            offsets = self._marks[chars] = [m.start() for m in re.finditer(pattern, self.masked)]
        return offsets

    def last_mark(self, chars: str, start: int, end: int) -> int:
        """Offset of the last of ``chars`` in ``masked[start:end]``, or -1."""
        offsets = self._mark_offsets(chars)
        k = bisect.bisect_left(offsets, end) - 1
        return offsets[k] if k >= 0 and offsets[k] >= start else -1

    def first_mark(self, chars: str, start: int, end: int) -> int:
        """Offset of the first of ``chars`` in ``masked[start:end]``, or -1."""
        offsets = self._mark_offsets(chars)
        k = bisect.bisect_left(offsets, start)
        return offsets[k] if k < len(offsets) and offsets[k] < end else -1

    def sentence(self, pos: int) -> tuple[int, int]:
        ls, le = self.line_of(pos)
        before = self.last_mark(SENTENCE_END, ls, pos)
        after = self.first_mark(SENTENCE_END, pos, le)
        return (before + 1 if before >= 0 else ls), (after + 1 if after >= 0 else le)

    def clause(self, pos: int, sent: tuple[int, int], enumeration: bool = True) -> tuple[int, int]:
        """The clause around ``pos``; with ``enumeration=False`` 、 does not end a clause."""
        seps = _CLAUSE_END if enumeration else _CLAUSE_END.replace("、", "")
        before = self.last_mark(seps, sent[0], pos)
        after = self.first_mark(_CLAUSE_END + SENTENCE_END, pos, sent[1])
        return (before + 1 if before >= 0 else sent[0]), (after if after >= 0 else sent[1])

    def heading_above(self, pos: int) -> tuple[int, int] | None:
        """The nearest non-empty line above ``pos``'s line if it reads as a heading."""
        ls, _ = self.line_of(pos)
        for s, e in reversed([ln for ln in self.lines if ln[1] < ls]):
            line = self.text[s:e].strip()
            if not line:
                continue
            if len(line) <= 40 and not re.search(r"[。；，,]", line):
                return s, e
            return None
        return None

    def inside_mention(self, start: int, end: int) -> bool:
        return any(m.start <= start and end <= m.end and not m.implicit for m in self.mentions)

    def subject_in(self, start: int, end: int) -> Mention | None:
        inside = [m for m in self.candidates if start <= m.start and m.end <= end and not m.implicit]
        return inside[0] if inside else None

    def name_count(self, m: Mention) -> str:
        """How often the segment names ``m``'s entity: ``"0"`` (implicit), ``"1"``, ``"2"`` or ``"3+"``."""
        if m.implicit:
            return "0"
        if self._name_counts is None:
            self._name_counts = {}
            for o in self.candidates:
                if not o.implicit:
                    self._name_counts[o.canonical] = self._name_counts.get(o.canonical, 0) + 1
        n = self._name_counts.get(m.canonical, 1)
        return str(n) if n < 3 else "3+"

    def is_publisher(self, m: Mention) -> bool:
        """True for 公司/我们 and for mentions of the publisher by name."""
        return m.implicit or bool(self.publisher_name and m.canonical == self.publisher_name)

    def publisher(self, pos: int) -> Mention | None:
        """A mention of the publisher, or one made for it at ``pos`` when the text has none."""
        for m in self.candidates:
            if m.implicit or (self.publisher_name and m.canonical == self.publisher_name):
                return m
        if not self.publisher_name or not self.publisher_named:
            return None  # a passage that never names its publisher is about someone else
        return Mention(
            pos,
            pos,
            "ORG",
            self.publisher_name,
            "",
            implicit=True,
            attrs={"source": "kg_measurements.publisher"},
        )
