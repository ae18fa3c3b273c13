"""Tables whose cells PDF extraction glued together, read back into cells.

Financial tables often reach us as one run of text with nothing between the
cells: ``（单位：人民币亿元）2020年上半年2019年上半年累计发生所占营业收入百分比…
成本费用合计1,375.491.45%1,350.293.15%其中：网间结算成本50.93.39%…`` or
``单位：元币种：人民币项目本报告期…(%)营业收入89,021,517,6308.2``. The line
reader of :mod:`extractors.measurements.rules` sees no cells there, and the
running-text reader reads ``1,375.491`` as one number.

A table opens at a unit line (``单位：人民币亿元``, ``单位：元``) or a ``(%)``
column header and runs while glued figures keep coming. Each run of digits
after a label is split with the cell shapes the table uses, fixed once per
table: an amount has thousands separators and the same number of decimals
in every cell (the count that splits the most runs of the table, ties to the
one whose amounts the text also states in running prose), a share ends in
``%``, and a bare one-decimal figure is a percentage where a column header
says ``(%)``. A run that does not split into those shapes from end to end is
ambiguous and left alone. Amounts take the unit line's multiplier (亿 ->
10^8); the year of a cell comes from the years of the header when the cells
pair up with them, else from the document.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extractors.lexicon import alternation
from extractors.numbers import default_lexicon, format_decimal
from kg.model import MeasurementItem


@functools.cache
def _unit_line() -> re.Pattern:
    """A unit line: ``单位：人民币亿元``, ``（单位：元）``, ``单位：万元币种：人民币``.

    Its multipliers are the number lexicon's (``extractors/data/measure_units.json``).
    """
    words = sorted(default_lexicon().multipliers, key=len, reverse=True)
    return re.compile(
        rf"单位[：:][ \t]*(?:人民币|港币|港元|美元)?(?P<mult>{alternation(words)})?(?P<unit>元|%)"
    )


#: a column header that declares percentages: ``增减变动幅度(%)``, ``变动比例（%）``
_PCT_HEADER = re.compile(r"[（(]%[）)]")
#: a run of glued figures: digits, separators, signs and percent signs, after a label
_RUN = re.compile(r"(?<![\d.,%])-?\d[\d,.%\-]*")
#: characters after a run that make it a running-text figure, not a cell (亿元, 个, 年 ...)
_UNIT_AFTER = frozenset("亿万千百元个名人户次台套吨年月日天倍家项所座条期场位间余多個戶臺噸項場間餘")
#: characters after a figure that only running text has (亿元, 2020年): the table has ended
_PROSE_AFTER = frozenset("亿万千百元年月日億萬")
#: characters after a figure that close a clause of running text (下降53.5%，): no cell
_CLAUSE_AFTER = frozenset("，,。；;、和及与與至到")
#: how far after its unit line or ``(%)`` the first cells of a table must start (its header)
_MAX_HEADER = 400
#: a number standing alone in running text (``人民币1,375.4亿元``), not glued into a run
_STANDALONE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d+(?![\d.,%])")
#: the longest stretch without a glued figure that a table may hold (a long row label)
_MAX_GAP = 160
#: a table never runs longer than this (characters)
_MAX_TABLE = 4000
#: where the label of a row ends on the left: clause ends, then the words that close a column header
_CLAUSE_STOPS = re.compile(r".*[。，；：:;,\n]", re.S)
_HEADER_STOPS = re.compile(r".*(?:百分比|[（(]%[）)]|说明|原因|金额|期末|报告期|上年同期|年初至)", re.S)
_NOTE = re.compile(r"[（(]注\d*[）)]|^其中[：:]|^\d+[)）.、]")
_YEARS = re.compile(r"((?:19|20)\d{2})年")
#: amount decimals tried, in order of preference
_DECIMALS = (1, 2, 0)


@dataclass
class _Cell:
    text: str
    start: int
    percent: bool


def _cell_patterns(decimals: int, pct_header: bool) -> re.Pattern:
    # possessive: glued cells are followed by digits, so a group of three is never given back
    amount = r"-?\d{1,3}(?:,\d{3})*+" + (rf"\.\d{{{decimals}}}" if decimals else "")
    grouped = r"-?\d{1,3}(?:,\d{3})++" + (rf"\.\d{{{decimals}}}" if decimals else "")
    share = r"-?\d{1,3}(?:\.\d{1,2})?%"
    # an amount glued to its share splits only where the amount's decimals say where it ends
    options = [rf"(?P<pair>(?P<amount>{amount})(?P<share>{share}))"] if decimals else []
    options += [rf"(?P<share_only>{share})", rf"(?P<grouped>{grouped})"]
    if pct_header:
        options.append(r"(?P<bare>-?\d{1,4}\.\d)(?!\d)")
    return re.compile("|".join(options))


def split_run(run: str, decimals: int, pct_header: bool) -> list[tuple[str, int, bool]] | None:
    """The cells of one glued run as ``(text, offset in run, is a percentage)``; ``None`` if it won't split.

    >>> split_run("1,375.491.45%1,350.293.15%", 1, False)
    [('1,375.4', 0, False), ('91.45%', 7, True), ('1,350.2', 13, False), ('93.15%', 20, True)]
    >>> split_run("89,021,517,6308.2", 0, True)
    [('89,021,517,630', 0, False), ('8.2', 14, True)]
    >>> split_run("0.06721.8", 0, True) is None
    True
    """
    pattern = _cell_patterns(decimals, pct_header)
    pos, out = 0, []
    while pos < len(run):
        m = pattern.match(run, pos)
        if m is None or m.end() == pos:
            return None
        kind = m.lastgroup
        if kind == "pair":
            out.append((m.group("amount"), m.start("amount"), False))
            out.append((m.group("share"), m.start("share"), True))
        elif kind == "share_only":
            out.append((m.group("share_only"), pos, True))
        elif kind == "grouped":
            out.append((m.group("grouped"), pos, False))
        else:
            out.append((m.group("bare"), pos, True))
        pos = m.end()
    return out


@dataclass
class GluedTable:
    """One table: where it starts, its unit, multiplier and column years, and its runs."""

    start: int
    unit: str
    multiplier: int
    pct_header: bool
    years: list[int]
    runs: list[tuple[int, int]]  # (start, end) of each run of glued figures, in order


def _runs(text: str, start: int, stop: int, every: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of ``text[start:stop]`` that stand where cells do: after a label, before a label or the end.

    ``every``: all runs of digits of ``text`` (:data:`_RUN`), in order, found once.
    """
    out = []
    last = start
    for k in range(bisect.bisect_left(every, (start, 0)), len(every)):
        s, e = every[k]
        if s >= stop:
            break
        e = min(e, stop)
        if not out and s - start > _MAX_HEADER:
            break  # a unit line or a (%) with no cells after its header: no table
        while e > s and text[e - 1] in ",.-":
            e -= 1
        item_number = re.search(r"%(\d{1,2})$", text[s:e])
        if item_number and text[e : e + 1] in ")）.、":
            e -= len(item_number.group(1))  # 84.65%1）语音业务: the number of the next heading
        if out and s - last > _MAX_GAP:
            break
        before, after = text[s - 1 : s], text[e : e + 1]
        if after in _PROSE_AFTER:
            if out:
                break  # a running-text figure (354.9亿元, 2020年): the prose has resumed
            continue
        if after in _UNIT_AFTER and not text[s:e].endswith("%"):
            continue  # 12个, 3名: a count in running text (a share before 人工成本 is a cell)
        if after == "." or after in _CLAUSE_AFTER:
            continue
        if not before or before.isdigit() or before in ".,":
            continue
        if before.isspace() or after.isspace():
            continue  # cells set apart by spaces are the line reader's (or running text)
        if not re.search(r"[,%]|\.\d", text[s:e]):
            continue  # a bare integer: a year, a note or a row number, not a cell
        out.append((s, e))
        last = e
    return out


def find_tables(text: str) -> list[GluedTable]:
    """The glued tables of ``text``, each opened by a unit line or a ``(%)`` header."""
    unit_line_re = _unit_line()
    unit_starts = [m.start() for m in unit_line_re.finditer(text)]
    every: list[tuple[int, int]] | None = None
    opens = sorted(set(unit_starts) | {m.start() for m in _PCT_HEADER.finditer(text)})
    tables: list[GluedTable] = []
    covered = -1
    for start in opens:
        if start < covered:
            continue
        k = bisect.bisect_right(unit_starts, start)  # a table ends where the next unit line opens one
        stop = min(len(text), start + _MAX_TABLE, unit_starts[k] if k < len(unit_starts) else len(text))
        unit_line = unit_line_re.match(text, start)
        if every is None:
            every = [(m.start(), m.end()) for m in _RUN.finditer(text)]
        runs = _runs(text, start, stop, every)
        if not runs:
            continue
        header = text[start : runs[0][0]]
        if unit_line:
            unit = unit_line.group("unit")
            mult = default_lexicon().multipliers.get(unit_line.group("mult") or "", 1)
        elif tables and start - tables[-1].runs[-1][1] <= _MAX_GAP:
            unit, mult = tables[-1].unit, tables[-1].multiplier  # the next block of the same table
        else:
            unit, mult = "", 1
        pct_header = bool(_PCT_HEADER.search(text, start, runs[-1][1]))
        years = [int(y) for y in _YEARS.findall(header)]
        tables.append(GluedTable(start, unit, mult, pct_header, years, runs))
        covered = runs[-1][1]
    return tables


def _decimals(text: str, table: GluedTable, prose: Counter) -> int:
    """The amount decimals that split the most runs of the table (ties: amounts the prose also states).

    ``prose`` counts the numbers of ``text`` that stand alone (``人民币1,375.4亿元``).
    """

    def score(d: int) -> tuple[int, int]:
        split = 0
        stated = 0
        for s, e in table.runs:
            cells = split_run(text[s:e], d, table.pct_header)
            if cells is None:
                continue
            split += 1
            for c, _, pct in cells:
                if not pct and "." in c and prose[c] - (text[s:e] == c) > 0:
                    stated += 1
        return split, stated

    return max(_DECIMALS, key=lambda d: (score(d), -_DECIMALS.index(d)))


def _label(text: str, left: int, start: int) -> tuple[int, int]:
    """The row label between ``left`` and a run at ``start``: past clause ends and header words, notes off."""
    lo = left
    for stops in (_CLAUSE_STOPS, _HEADER_STOPS):
        m = stops.match(text, lo, start)
        if m and m.end() < start:
            lo = m.end()
    while lo < start and text[lo] in "—-－·•*、 \t":
        lo += 1
    label = text[lo:start]
    note = _NOTE.search(label)
    while note:
        label = label[: note.start()] + label[note.end() :]
        note = _NOTE.search(label)
    return lo, lo + len(label.rstrip())


def read_glued(
    text: str, publisher_at, subject_in, year: int | None, skip: Sequence[tuple[int, int]] = ()
) -> tuple[list[MeasurementItem], list[tuple[int, int]]]:
    """The cells of every glued table of ``text`` as measurements, and the spans they cover.

    Args:
        text: The segment.
        publisher_at: ``pos -> Mention | None``: the publisher (``MeasurementContext.publisher``).
        subject_in: ``(start, end) -> Mention | None``: an entity named inside a row label.
        year: The document's year, for cells the header gives none.
        skip: Spans other table readers took.

    Returns:
        ``(items, consumed)``.
    """
    items: list[MeasurementItem] = []
    consumed: list[tuple[int, int]] = []
    prose: Counter | None = None
    for table in find_tables(text):
        if prose is None:
            prose = Counter(_STANDALONE.findall(text))
        decimals = _decimals(text, table, prose)
        left = table.start
        for s, e in table.runs:
            if any(a <= s < b for a, b in skip):
                left = e
                continue
            cells = split_run(text[s:e], decimals, table.pct_header)
            lo, hi = _label(text, left, s)
            left = e
            if not cells or hi <= lo:
                continue
            subject = subject_in(lo, hi) or publisher_at(lo)
            if subject is None:
                continue
            indicator = re.sub(r"\s+", "", text[lo:hi])
            years: list[int | None]
            if table.years and len(cells) % len(table.years) == 0:
                per = len(cells) // len(table.years)
                years = [table.years[i // per] for i in range(len(cells))]
            else:
                years = [year] * len(cells)
            for (cell, offset, pct), cell_year in zip(cells, years, strict=True):
                try:
                    value = Decimal(cell.rstrip("%").replace(",", ""))
                except InvalidOperation:
                    continue
                if pct and value == 100:
                    continue  # a total's share of itself
                unit = "%" if pct else table.unit
                if not pct:
                    value *= table.multiplier
                start = s + offset
                items.append(
                    MeasurementItem(
                        subject, format_decimal(value), unit, cell_year, indicator, start, start + len(cell)
                    )
                )
            consumed.append((lo, e))
    return items, consumed
