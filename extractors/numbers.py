"""Numbers with units in prepared Chinese text: ``2.24亿元``, ``12.8万余名``, ``近百万名``.

The parser turns a figure into an exact decimal string (``decimal.Decimal``,
never ``float``) with the multiplier 万/亿/千 applied and removed from the
unit. Unit words come from ``data/measure_units.json``; approximation and skip
cues from ``data/measure_cues.json``.

What is not a figure and never returned by :func:`find_numbers`: years and
dates (``2023年5月``, ``2024-2026年``), ordinals (``第五届``), numbers glued to
Latin letters (``5G``, ``700MHz``, ``iPhone11``, ``ISO 14000``), vague amounts
(``数万套``, ``数百万``), and bare numbers with neither unit nor multiplier
(page and section numbers, phone numbers such as ``10086``).

Read besides: lines a PDF wrote unit first (``亿余元1.9`` is 1.9亿余元),
ratios named right before a bare value (``PUE低至约1.1``), and counts of
kinds (``等五大模块`` is 5 个; not ``“大联接、…”五大主责``, ``十九大``, ``两大``).
Skipped too: ``百度`` (a company), rankings (``前十名``), 人 of 人民币, the lone 万
of a unit label (``（万户）``), table cells run together (``54.4%40.9%``) and
durations (``6个小时``).

Ranges (``3-5万人``, ``3万-5万人``) keep the lower bound as ``value`` and the upper bound in
``attrs["upper"]``: the lower bound is what the text asserts for certain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path

from extractors.lexicon import DATA_DIR
from kg.textunits import HAN

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

_GAP = r"[ \t\u3000*]*"  # spaces, tabs and markdown bold between a number and its unit
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass
class ParsedNumber:
    """A figure found in text.

    Attributes:
        start: Offset of the first character of the figure (digits or numeral).
        end: Offset after the unit (or the last character of the figure).
        value: Exact decimal string with multipliers applied (``"224000000"``).
        unit: Unit word left after removing 万/亿/千 (``""`` when the text gives none).
        approx: Approximation marker normalised (``近``, ``超过``, ``余``, ``约``, ``低于``) or ``""``.
        raw: The text of the figure, ``text[start:end]``.
        attrs: Extra facts: ``upper`` (upper bound of a range), ``numeral``
            (``"arabic"`` or ``"chinese"``), ``multiplier``.
    """

    start: int
    end: int
    value: str
    unit: str
    approx: str = ""
    raw: str = ""
    attrs: dict = field(default_factory=dict)

    @property
    def decimal(self) -> Decimal:
        """The value as a :class:`decimal.Decimal`."""
        return Decimal(self.value)


@dataclass(frozen=True)
class NumberLexicon:
    """Unit words and cues the parser reads from ``extractors/data``."""

    units: tuple[str, ...]
    aliases: dict
    prose_excluded: frozenset
    chinese_numeral_only: frozenset
    multipliers: dict
    year_unit_cues: tuple[str, ...]
    approx_before: dict
    approx_after: dict
    vague_before: tuple[str, ...]
    ordinal_before: tuple[str, ...]
    cn_blockers_before: frozenset
    cn_blockers_after: tuple[str, ...]
    cn_small_units: frozenset
    counted_kinds_blockers: tuple[str, ...] = ()
    arabic_numeral_only: frozenset = frozenset()
    unit_blockers_after: dict = field(default_factory=dict)

    @classmethod
    def from_disk(cls, path: Path = DATA_DIR) -> NumberLexicon:
        """Read ``measure_units.json`` and ``measure_cues.json`` from ``path``."""
        units = json.loads((path / "measure_units.json").read_text(encoding="utf-8"))
        cues = json.loads((path / "measure_cues.json").read_text(encoding="utf-8"))
        return cls(
            units=tuple(sorted(set(units["units"]), key=len, reverse=True)),
            aliases=dict(units.get("aliases", {})),
            prose_excluded=frozenset(units.get("prose_excluded", ())),
            chinese_numeral_only=frozenset(units.get("chinese_numeral_only", ())),
            multipliers={k: int(v) for k, v in units["multipliers"].items()},
            year_unit_cues=tuple(units.get("year_unit_cues", ())),
            approx_before=dict(sorted(cues["approx_before"].items(), key=lambda kv: -len(kv[0]))),
            approx_after=dict(sorted(cues["approx_after"].items(), key=lambda kv: -len(kv[0]))),
            vague_before=tuple(sorted(cues.get("vague_before", ()), key=len, reverse=True)),
            ordinal_before=tuple(cues.get("ordinal_before", ())),
            cn_blockers_before=frozenset(cues.get("cn_numeral_blockers_before", ())),
            cn_blockers_after=tuple(cues.get("cn_numeral_blockers_after", ())),
            cn_small_units=frozenset(units.get("cn_small_units", ())),
            counted_kinds_blockers=tuple(cues.get("counted_kinds_blockers", ())),
            arabic_numeral_only=frozenset(units.get("arabic_numeral_only", ())),
            unit_blockers_after={k: tuple(v) for k, v in units.get("unit_blockers_after", {}).items()},
        )


    @cached_property
    def units_by_initial(self) -> dict[str, tuple[str, ...]]:
        """``units`` grouped by their first character, in the order of ``units`` (longest first)."""
        out: dict[str, list[str]] = {}
        for unit in self.units:
            out.setdefault(unit[0], []).append(unit)
        return {initial: tuple(group) for initial, group in out.items()}


@lru_cache(maxsize=1)
def default_lexicon() -> NumberLexicon:
    """The lexicon shipped in ``extractors/data`` (read once)."""
    return NumberLexicon.from_disk()


def format_decimal(d: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros (``"27.9"``, ``"224000000"``).

    Args:
        d: The value.

    Returns:
        Its digits as the graph writes them.
    """
    # format(…, "f") never rounds or raises, unlike quantize on numbers past the context precision
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def chinese_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral (``十余`` without 余, ``三千五百``, ``两``, ``百万``).

    An inner 零 marks a skipped place (``一百零五`` = 105, ``三万零五百`` =
    30500); a last digit right after a unit stands for the next lower place
    (``三千五`` = 3500, ``两万五`` = 25000, ``一百五`` = 150).

    Args:
        numeral: Characters from 零一二两三四五六七八九十百千万亿 only.

    Returns:
        The integer, or ``None`` when ``numeral`` is not a well-formed numeral.
    """
    if not numeral or any(ch not in _CN_CHARS for ch in numeral):
        return None
    if all(ch in "零〇" for ch in numeral):
        return 0 if len(numeral) == 1 else None
    total, wan, section, digit = 0, 0, 0, None  # 亿 groups, the 万 group, the current group
    last_unit, zero = 0, False  # place of the last unit read; a 零 since then
    for ch in numeral:
        if ch in "零〇":
            if digit is not None:
                return None  # 二〇二三 is a year written out, not a numeral
            zero = True
        elif ch in CN_DIGITS:
            if digit is not None:
                return None  # 一二 is not a numeral
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit, last_unit, zero = None, CN_SMALL_UNITS[ch], False
        elif ch == "万":
            section += digit or 0
            if wan:
                return None  # 五万三万
            wan = (section or (0 if total else 1)) * 10**4
            section, digit, last_unit, zero = 0, None, 10**4, False
        else:  # 亿 scales everything read so far: 万亿
            group = wan + section + (digit or 0)
            total = (total + (group or (0 if total else 1))) * 10**8
            wan, section, digit, last_unit, zero = 0, 0, None, 10**8, False
    if digit is not None and not zero and last_unit >= 100:
        digit *= last_unit // 10  # 三千五: the 五 is 五百
    return total + wan + section + (digit or 0)


def _match_unit(text: str, pos: int, lex: NumberLexicon, *, chinese: bool, prose: bool) -> str:
    """The longest unit word starting at ``pos`` (``""`` if none)."""
    for unit in lex.units_by_initial.get(text[pos : pos + 1], ()):
        if not text.startswith(unit, pos):
            continue
        if prose and unit in lex.prose_excluded and not (chinese and unit in lex.chinese_numeral_only):
            continue
        if unit in lex.chinese_numeral_only and not chinese:
            continue
        if unit in lex.arabic_numeral_only and chinese:
            continue  # 百度 is a company, not 100 kWh
        if text.startswith(lex.unit_blockers_after.get(unit, ()), pos + len(unit)):
            return ""  # 6个小时: a duration; 本公司: no book
        nxt = text[pos + len(unit) : pos + len(unit) + 1]
        if unit[-1].isascii() and unit[-1].isalpha() and nxt and (nxt.isascii() and nxt.isalnum()):
            continue  # 5GB is a unit, 5GHz is not GB
        return unit
    return ""


def _skip_gap(text: str, pos: int, *, newlines: bool = True) -> int:
    """Position after spaces, tabs, markdown ``**`` (and up to two line breaks) from ``pos``."""
    breaks = 0
    while pos < len(text):
        ch = text[pos]
        if ch in " \t\u3000*":
            pos += 1
        elif newlines and ch == "\n" and breaks < 2:
            breaks += 1
            pos += 1
        else:
            break
    return pos


def _approx_before(text: str, start: int, lex: NumberLexicon) -> str:
    head = text[max(0, start - 6) : start].rstrip(" \t\u3000*")
    for cue, norm in lex.approx_before.items():
        if head.endswith(cue):
            return norm
    return ""


def _read_tail(text: str, pos: int, lex: NumberLexicon, *, chinese: bool, prose: bool):
    """Read ``[余] [万|亿|千] [余] [unit]`` after the digits; return (end, multiplier, unit, approx)."""
    approx = ""
    multiplier = 1
    p = _skip_gap(text, pos)
    for cue, norm in lex.approx_after.items():
        if cue in ("余", "多") and text.startswith(cue, p):
            approx, p = norm, _skip_gap(text, p + len(cue))
            break
    unit = _match_unit(text, p, lex, chinese=chinese, prose=prose)
    if not unit:
        for word, factor in lex.multipliers.items():
            if text.startswith(word, p):
                multiplier, p = factor, _skip_gap(text, p + len(word))
                break
        if text.startswith("余", p) or text.startswith("多", p):
            approx, p = "余", _skip_gap(text, p + 1)
        unit = _match_unit(text, p, lex, chinese=chinese, prose=prose)
    if unit:
        end = p + len(unit)
        if text.startswith("（次）", end) or text.startswith("(次)", end):
            end += 3  # 百余场（次）
    else:
        end = pos if multiplier == 1 else _last_nonspace(text, p)
    if not approx:
        for cue, norm in lex.approx_after.items():
            if cue not in ("余", "多") and text.startswith(cue, _skip_gap(text, end, newlines=False)):
                approx = norm
                break
    return end, multiplier, unit, approx


def _last_nonspace(text: str, p: int) -> int:
    while p > 0 and text[p - 1] in " \t\u3000*\n":
        p -= 1
    return p


def parse_number(
    text: str, lexicon: NumberLexicon | None = None, *, prose: bool = False
) -> ParsedNumber | None:
    """Parse one figure that makes up ``text`` (surrounding spaces allowed).

    Bare numbers (``"1.17"``, a table cell) are figures here, with unit ``""``.

    Args:
        text: A figure such as ``"1,000万元"``, ``"12.8万余名"``, ``"近百万名"``, ``"27.9%"``.
        lexicon: Units and cues; the shipped lexicon by default.
        prose: Refuse table-only units, as in running text (``"5G"`` is then no figure).

    Returns:
        The :class:`ParsedNumber`, or ``None`` when ``text`` is not exactly one figure.
    """
    lex = lexicon or default_lexicon()
    stripped = text.strip()
    found = find_numbers(stripped, lex, include_bare=True, prose=prose)
    if len(found) != 1:
        return None
    num = found[0]
    lead = stripped[: num.start].strip(" *")
    if lead and lead not in lex.approx_before and lead != "-":
        return None
    if stripped[num.end :].strip(" *") not in ("",) + tuple(lex.approx_after):
        return None
    return num


_SWAPPED_RE = re.compile(
    r"^[ \t*]*(?P<body>(?P<mult>千万|百万|万|亿)?(?P<approx>余|多)?(?P<unit>[^\d\s,.]{1,3}?)[ \t*]*"
    r"(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?))[ \t*]*$",
    re.MULTILINE,
)
# a ratio named right before its value (no digit between): PUE可低至1.1左右
_RATIO_RE = re.compile(r"(?P<name>PUE|WUE|CUE)[）)]?值?[^，。；;\d\n]{0,6}?(?P<num>[1-3]\.\d{1,3})(?![\d.%])")
_RANGE_TAIL_RE = re.compile(rf"{_GAP}[-~～—至到]{_GAP}(?P<upper>{_ARABIC})")
_NUMBER_RE = re.compile(
    rf"(?P<arabic>-?(?:{_ARABIC}))(?:{_GAP}[-~～—至到]{_GAP}(?P<upper>{_ARABIC}))?"
    rf"|(?P<chinese>[{_CN_CHARS}]+)"
)


def find_numbers(
    text: str,
    lexicon: NumberLexicon | None = None,
    *,
    include_bare: bool = False,
    prose: bool = True,
) -> list[ParsedNumber]:
    """All figures with a unit (or a 万/亿 multiplier) in ``text``, left to right.

    Args:
        text: Prepared text (NFKC, Simplified).
        lexicon: Units and cues; the shipped lexicon by default.
        include_bare: Also return Arabic numbers with neither unit nor multiplier
            (table cells); years, dates and codes are still skipped.
        prose: Running text: units that only make sense in a table label
            (``G`` in ``国际传输带宽 (G)``) are refused, so ``5G`` is no figure.

    Returns:
        The figures as :class:`ParsedNumber`, in text order.
    """
    lex = lexicon or default_lexicon()
    special = _swapped_lines(text, lex) + _ratios(text, lex)
    taken = [(n.start, n.end) for n in special]
    out: list[ParsedNumber] = []
    for m in _NUMBER_RE.finditer(text):
        if out and m.start() < out[-1].end:
            continue  # the 万 of 38.76万台 was read with its digits
        if any(s <= m.start() < e for s, e in taken):
            continue
        num = _number_at(text, m, lex, include_bare=include_bare, prose=prose)
        if num is not None:
            out.append(num)
    return sorted(out + special, key=lambda n: n.start)


def _swapped_lines(text: str, lex: NumberLexicon) -> list[ParsedNumber]:
    """Lines a PDF wrote unit first: ``亿余元1.9`` is 1.9亿余元, ``万人13.11`` is 13.11万人."""
    out = []
    for m in _SWAPPED_RE.finditer(text):
        unit = _match_unit(m.group("unit"), 0, lex, chinese=False, prose=True)
        if unit != m.group("unit"):
            continue
        mult = lex.multipliers.get(m.group("mult") or "", 1)
        value = Decimal(m.group("num").replace(",", "")) * mult
        out.append(
            ParsedNumber(
                m.start("body"),
                m.end("body"),
                format_decimal(value),
                lex.aliases.get(unit, unit),
                "余" if m.group("approx") else "",
                m.group("body"),
                {"numeral": "arabic", "multiplier": mult, "swapped": True},
            )
        )
    return out


def _ratios(text: str, lex: NumberLexicon) -> list[ParsedNumber]:
    """Ratios with no unit after a named indicator: ``PUE低至约1.1``, ``年均PUE低于1.17``."""
    out = []
    for m in _RATIO_RE.finditer(text):
        if text.startswith(("降至", "降到", "下降至", "下降到"), m.end("num")):
            continue  # PUE由1.8降至1.28: the old value
        start, end = m.start("num"), m.end("num")
        out.append(
            ParsedNumber(
                start,
                end,
                format_decimal(Decimal(m.group("num"))),
                "",
                _approx_before(text, start, lex),
                text[start:end],
                {"numeral": "arabic", "multiplier": 1, "ratio": m.group("name")},
            )
        )
    return out


def _number_at(text: str, m: re.Match, lex: NumberLexicon, *, include_bare: bool, prose: bool):
    start = m.start()
    before = text[max(0, start - 4) : start]
    prev = text[start - 1] if start else ""
    if m.group("chinese"):
        return _chinese_number(text, m, lex, prose=prose)
    digits = m.group("arabic")
    if digits.startswith("-"):
        if prev and (prev.isdigit() or prev.isascii() and prev.isalpha()):
            return None  # 2024-2026, NB-IoT
    after = m.end()
    nxt = text[after : after + 1]
    # codes glued to Latin letters: 5G, iPhone11, ISO 14000, EBITDA2, 700MHz
    if prev and prev.isascii() and (prev.isalpha() or prev in "._/#"):
        return None
    if re.search(r"[A-Za-z][ \t]+$", before):
        return None  # SA 8000, ISO 14000
    if prev and (prev.isdigit() or prev == "."):
        return None
    if nxt == "." and text[after + 1 : after + 2].isdigit():
        return None  # version numbers 1.2.3
    if before.rstrip(" \t").endswith(lex.ordinal_before):
        return None
    if prev == "%":
        return None  # 54.4%40.9%: a table's cells run together
    # dates and years: 2023年, 5月, 16日, 2024-2026年, 112022年 (footnote + year)
    tail = text[after : after + 3].lstrip(" \t\u3000*")
    if tail[:1] in ("年", "月", "日", "号", "时", "点", "秒", "分") and not tail.startswith(("时长",)):
        if not (tail.startswith("年") and _year_unit_cue(text, start, lex) and "." not in digits):
            return None
        return _make(text, m, lex, start, after + text[after:].index("年") + 1, 1, "年", "", m.group("upper"))
    if tail.startswith("季度") or tail.startswith("届") or tail.startswith("周年"):
        return None
    end, multiplier, unit, approx = _read_tail(text, after, lex, chinese=False, prose=prose)
    if unit == "%" and text[end : end + 1].isdigit():
        return None  # 40.9%35.5%: glued table cells
    if unit == "人" and text.startswith("民币", end):
        unit, end = "", end - 1  # 1,899,764,201人民币普通股: 人 begins 人民币
        if multiplier == 1 and not include_bare:
            return None
    upper = m.group("upper")
    if not upper and not unit and multiplier > 1:
        # 3万-5万人: each bound carries its multiplier; the unit comes after the upper one
        dash = _RANGE_TAIL_RE.match(text, end)
        if dash:
            u_end, u_mult, u_unit, _ = _read_tail(text, dash.end(), lex, chinese=False, prose=prose)
            if u_mult == multiplier:
                end, unit = u_end, u_unit
                upper = dash.group("upper")
    if unit and unit[0].isascii() and unit[0].isalpha():
        pass
    elif nxt and nxt.isascii() and nxt.isalpha():
        return None  # 5G, 4K, 700MHz
    if not unit and multiplier == 1:
        if not include_bare:
            return None
        plain = digits.lstrip("-").replace(",", "")
        if "." not in plain and len(plain) == 4 and 1900 <= int(plain) <= 2100 and "," not in digits:
            return None  # a year on its own
    approx = _approx_before(text, start, lex) or approx
    return _make(text, m, lex, start, end, multiplier, unit, approx, upper)


def _year_unit_cue(text: str, start: int, lex: NumberLexicon) -> bool:
    head = text[max(0, start - 4) : start].rstrip(" \t\u3000*")
    return head.endswith(lex.year_unit_cues)


def _make(text, m, lex, start, end, multiplier, unit, approx, upper=None) -> ParsedNumber | None:
    if len(m.group("arabic").replace(",", "").split(".")[0]) > 15:
        return None  # an identifier or a run of glued numbers, not a figure
    try:
        value = Decimal(m.group("arabic").replace(",", "")) * multiplier
    except InvalidOperation:
        return None
    attrs: dict = {"numeral": "arabic", "multiplier": multiplier}
    if upper:
        attrs["upper"] = format_decimal(Decimal(upper.replace(",", "")) * multiplier)
    return ParsedNumber(
        start, end, format_decimal(value), lex.aliases.get(unit, unit), approx, text[start:end], attrs
    )


def _counted_kinds(text: str, start: int, after: int, value: int, lex: NumberLexicon) -> ParsedNumber | None:
    """``对垃圾治理、污水监测等五大模块``, ``开展八大主题培训``: N kinds of something, unit 个.

    Two and one (两大品牌) are pairs named in slogans more often than counts;
    ``十九大`` and the like are congresses, and a quoted ``“三大工程”`` is a name.
    """
    nxt = text[after + 1 : after + 2]
    if not (3 <= value <= 12) or not re.match(rf"[{HAN}]", nxt):
        return None
    if (
        text.startswith(tuple(lex.counted_kinds_blockers), after + 1)
        or text[max(0, start - 2) : start] == "党的"
    ):
        return None
    if text[max(0, start - 1) : start] in ("“", "「", "『", '"', "第", "”", "」", "』"):
        return None  # “大联接、…、大安全”五大主责: a slogan's parts, not a count
    return ParsedNumber(
        start,
        after + 1,
        str(value),
        "个",
        "",
        text[start : after + 1],
        {"numeral": "chinese", "multiplier": 1, "kinds": True},
    )


def _chinese_number(text: str, m: re.Match, lex: NumberLexicon, *, prose: bool) -> ParsedNumber | None:
    numeral = m.group("chinese")
    start = m.start()
    prev = text[start - 1] if start else ""
    head = text[max(0, start - 3) : start]
    if head.rstrip(" \t\u3000*余多")[-1:].isdigit():
        return None  # the 万 of 38.76 万台 belongs to its digits
    if prev in lex.cn_blockers_before or head.endswith(lex.vague_before):
        return None
    if head.endswith(lex.ordinal_before):
        return None
    if prev and prev in "“「『\"'‘":
        return None  # “三个阵地”, “五省八县”: names and slogans, not counts
    # 近百万名: 近 is written before the numeral, 余 between numeral and unit (十余项)
    approx = ""
    body = numeral
    value = chinese_to_int(body)
    if value is None:
        return None
    if body in ("万", "亿", "千") and not text.startswith(("余", "多"), m.end()):
        if not _approx_before(text, start, lex):
            return None  # （万户）, 万立方米: a unit label's multiplier, not a figure
    after = m.end()
    if text.startswith("大", after) and not approx:
        return _counted_kinds(text, start, after, value, lex)
    if text.startswith(tuple(lex.cn_blockers_after), after):
        return None
    p = after
    if text.startswith("余", p) or text.startswith("多", p):
        approx, p = "余", p + 1
    unit = _match_unit(text, p, lex, chinese=True, prose=prose)
    if not unit:
        return None
    if body in ("一", "二") or (value == 1 and not approx):
        return None  # 一个, 一次: articles more often than counts
    if value < 10 and unit not in lex.cn_small_units:
        return None  # 两个方面, 三家运营商: enumerations in prose, not reported figures
    end = p + len(unit)
    if text[end : end + 1] in ("”", "」", "』"):
        return None
    approx = _approx_before(text, start, lex) or approx
    return ParsedNumber(
        start,
        end,
        str(value),
        lex.aliases.get(unit, unit),
        approx,
        text[start:end],
        {"numeral": "chinese", "multiplier": 1},
    )
