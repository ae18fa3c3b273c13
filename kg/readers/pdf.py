"""PDF text with pypdfium2, in reading order, with a page map.

PDFium gives each character with its box; the order of the characters in
the file is the order they were painted, which is not the reading order of
a page with columns, text boxes or captions. So the text is rebuilt from
the boxes, page by page:

1. **Runs.** Characters that follow each other on a line (or down a column
   of vertical text) form a run; runs on one line closer than about one em
   are one *segment*. A wider gap separates table cells and columns.
2. **Bands and groups.** Segments that overlap vertically form a band (one
   line of a single column, or the lines of several columns side by side).
   Consecutive bands with the same column structure — a common vertical
   gutter, or none — form a group; a full-width title or caption between
   two-column text starts a new one.
3. **Columns.** A group with gutters is cut into columns at them, left to
   right (right to left for vertical text), and each column is laid out the
   same way; what is left is a *block* of lines read top to bottom. A group
   whose bands are mostly rows of figures is a table and keeps its rows, so
   ``指标 2021 2022 2023`` stays one line above its rows of values.
4. **Running headers, footers and page numbers.** Segments in the top or
   bottom margin that repeat on other pages (figures masked) or read as a
   page number are dropped.
5. **Captions and text boxes** (a block in another font size or colour)
   that fall between the two halves of a sentence are moved after it.

6. **Lines and pages.** The lines of a paragraph that wrap at the right
   edge of their block are joined, and so are a block and the next one (the
   next column, the next page, the text after a caption) when a sentence
   goes on from one to the other; other line breaks are kept for
   :func:`kg.textprep.join_lines` to judge, as in any text. Paragraphs are
   two blank lines apart (:data:`kg.readers.PARAGRAPH`). Nothing marks a
   page break in the text (a sentence that runs over a page stays whole);
   :attr:`Extracted.pages` keeps the offset where each page starts.

A page without text but with an image is reported as having no text layer
(scanned); a page whose text is mostly U+FFFD, private-use characters,
characters PDFium could not map to Unicode or ``(cid:N)`` codes is
reported as unreadable; a page PDFium cannot load is reported as damaged;
all are left out, with one warning per kind naming the pages (text is not
joined across them). Encrypted and damaged files are one-line errors.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.readers import PARAGRAPH, Extracted, page_ranges
from kg.textunits import CLAUSE_MARKS, CLOSERS, SENTENCE_END

#: a gap wider than this many ems ends a segment (cells of a table, columns)
GAP_EM = 1.0
#: headers and footers are looked for in this share of the page at the top and at the bottom
MARGIN_SHARE = 0.12
#: a page is unreadable when at least this share of its characters are garbage
GARBAGE_SHARE = 0.5
#: a page with fewer characters than this and an image is a scan (a stray page number on a scan)
SCANNED_MAX_CHARS = 10

_SENT_END = frozenset(SENTENCE_END)
_CLAUSE = frozenset(CLAUSE_MARKS)
_CLOSERS = frozenset(CLOSERS)
_CID_RE = re.compile(r"\(cid:\d+\)")
_DIGITS_RE = re.compile(r"\d+")
_PAGE_NUMBER_RE = re.compile(
    r"[-–—·•\s]*(?:第\s*)?(?:\d{1,3}|[ivxlcdm]{1,6})(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[-–—·•\s]*",
    re.IGNORECASE,
)
_FIGURE_RE = re.compile(r"[-+]?[\d.,，%‰]+(?:\s*[年万亿元个%])?")


# ---------------------------------------------------------------- model


@dataclass(slots=True)
class _Seg:
    """A run of characters on one line (or one column of vertical text)."""

    chars: list[str]
    x0: float
    y0: float  # top (y grows downwards)
    x1: float
    y1: float
    size: float  # em: height of the characters' boxes
    style: tuple[float, int]  # (type size to half a point, fill colour)
    vertical: bool = False

    @property
    def text(self) -> str:
        return "".join(self.chars)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    style: tuple[float, int]


@dataclass(slots=True)
class _Block:
    """Lines read top to bottom: a paragraph column, a caption, a table."""

    lines: list[_Line]
    breaks: list[bool]  # breaks[i]: a paragraph starts at line i
    left: float
    right: float
    em: float
    style: tuple[float, int]
    table: bool = False
    #: the block is a paragraph that follows another one of the same column
    follows_paragraph: bool = False
    #: hard[i]: line i starts a paragraph by its layout (indent, or a gap after a line in its type),
    #: not only by a change of type (which a caption or a box inside the text also makes)
    hard: list[bool] | None = None

    def full(self, i: int) -> bool:
        """True when line ``i`` spans the block, left (or indented) to right edge: the text wraps after it."""
        line = self.lines[i]
        return line.x1 >= self.right - 1.5 * self.em and line.x0 <= self.left + 2.5 * self.em

    def indented(self) -> bool:
        """True when the first line starts right of the block's left edge (a new paragraph)."""
        return len(self.lines) > 1 and self.lines[0].x0 - self.left >= 1.5 * self.em

    def text(self) -> str:
        """The block's text: wrapped lines joined, paragraphs apart, table rows one per line."""
        out: list[str] = []
        for i, line in enumerate(self.lines):
            if i:
                if self.table:
                    out.append("\n")
                elif self.breaks[i]:
                    out.append(PARAGRAPH)
                elif self.full(i - 1):
                    out.append(_glue(self.lines[i - 1].text, line.text))
                else:
                    out.append("\n")
            out.append(line.text)
        return "".join(out)

    @property
    def open(self) -> bool:
        """True when the block ends inside a sentence."""
        if self.table:
            return False
        last = self.lines[-1].text.rstrip()
        while last and last[-1] in _CLOSERS:
            last = last[:-1]
        return bool(last) and last[-1] not in _SENT_END

    @property
    def prose(self) -> bool:
        """True for running text (not a heading, a label or a table)."""
        text = " ".join(line.text for line in self.lines)
        return not self.table and len(text) >= 12 and any(ch in _CLAUSE for ch in text)

    def continued_by(self, nxt: _Block) -> bool:
        """True when ``nxt`` goes on with the sentence this block leaves open (next column or page)."""
        return (
            self.open
            and self.prose
            and self.full(len(self.lines) - 1)
            and not nxt.table
            and not nxt.follows_paragraph
            and _same_style(self.lines[-1].style, nxt.lines[0].style)
            and not nxt.indented()
        )

    def paragraphs(self) -> list[_Block]:
        """The block cut at its paragraph breaks (tables stay whole)."""
        if self.table or not any(self.breaks):
            return [self]
        out: list[_Block] = []
        start = 0
        for i in range(1, len(self.lines) + 1):
            if i == len(self.lines) or self.breaks[i]:
                lines = self.lines[start:i]
                follows = (self.hard[start] if self.hard else True) if start else self.follows_paragraph
                out.append(
                    _Block(
                        lines,
                        [False] * len(lines),
                        self.left,
                        self.right,
                        self.em,
                        _style_of_lines(lines),
                        follows_paragraph=follows,
                    )
                )
                start = i
        return out


def _glue(prev: str, nxt: str) -> str:
    """What joins a wrapped line to the next: nothing, or a space between two Latin words."""
    if prev and nxt and prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum():
        return " "
    return ""


@dataclass
class _Page:
    number: int
    height: float
    segs: list[_Seg] = field(default_factory=list)
    status: str = "text"  # "text", "scanned", "garbage", "damaged", "blank"


# ---------------------------------------------------------------- reading


def read(path: Path, warn: Callable[[str], None]) -> Extracted:
    """Extract the text of a PDF file in reading order (see the module docstring).

    Args:
        path: The PDF file.
        warn: Receives one line per kind of page left out.

    Returns:
        The text, its page map, and the title from the document information.

    Raises:
        InputError: The file is encrypted with a password, damaged, or not a PDF.
    """
    import pypdfium2 as pdfium

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(_open_error(path, exc)) from None
    try:
        pages = []
        for i in range(len(pdf)):
            try:
                pages.append(_read_page(pdf, i))
            except pdfium.PdfiumError:  # a page object PDFium cannot load
                pages.append(_Page(i + 1, 0.0, status="damaged"))
        title = _title(pdf)
    finally:
        pdf.close()
    return assemble(pages, path, warn, title)


def _open_error(path: Path, exc: Exception) -> str:
    code = getattr(exc, "err_code", None)
    if code == 4:  # FPDF_ERR_PASSWORD
        return (
            f"{path}: encrypted PDF that needs a password; decrypt it first "
            "(qpdf --decrypt --password=PASSWORD in.pdf out.pdf)"
        )
    if code == 5:  # FPDF_ERR_SECURITY
        return f"{path}: PDF with an unsupported security handler; decrypt it first"
    if code == 2:  # FPDF_ERR_FILE
        return f"{path}: cannot open the file"
    return f"{path}: not a readable PDF (damaged or not a PDF file)"


def _title(pdf) -> str | None:  # noqa: ANN001 - pypdfium2.PdfDocument
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()
    except Exception:  # noqa: BLE001 - a damaged information dictionary is no title
        return None
    # Authoring tools put file names there ("Microsoft Word - report.docx", "report.indd").
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    if not title or re.search(r"\.(?:docx?|pptx?|pdf|indd|html?|txt)$", title, re.IGNORECASE):
        return None
    return title


def _read_page(pdf, index: int) -> _Page:  # noqa: ANN001 - pypdfium2.PdfDocument
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            out = _Page(index + 1, height)
            chars, bad, total = _chars(raw, textpage.raw, height)
            if total < SCANNED_MAX_CHARS and _has_image(raw, page.raw):
                out.status = "scanned"
            elif total == 0:
                out.status = "blank"
            elif bad >= GARBAGE_SHARE * total:
                out.status = "garbage"
            else:
                out.segs = _segments(raw, textpage.raw, chars)
            return out
        finally:
            textpage.close()
    finally:
        page.close()


def _chars(raw, tp, height: float) -> tuple[list[tuple], int, int]:  # noqa: ANN001 - ctypes handles
    """The characters of a page as ``(index, char, x0, y0, x1, y1)`` with y downwards.

    Also returns how many of the non-space characters are garbage and how
    many there are. Spaces are kept as ``" "`` entries, the spaces PDFium
    made up as ``""`` (their boxes are not used); PDFium's line breaks are
    dropped.
    """
    n = raw.FPDFText_CountChars(tp)
    rect = raw.FS_RECTF()
    rect_p = ctypes.byref(rect)
    get_unicode, get_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    map_error, is_generated = raw.FPDFText_HasUnicodeMapError, raw.FPDFText_IsGenerated
    out: list[tuple] = []
    bad = total = 0
    pending_high = None
    for i in range(n):
        code = get_unicode(tp, i)
        if code in (0x0A, 0x0D, 0, 0xFFFE):
            continue
        if 0xD800 <= code < 0xDC00:  # a character beyond the BMP comes as two code units
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000:
            if pending_high is None:
                continue
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = None
        if code in (0x20, 0x09, 0xA0, 0x3000):
            # PDFium makes up spaces where glyphs stand apart; those count only between Latin words
            out.append((i, "" if is_generated(tp, i) else " ", 0.0, 0.0, 0.0, 0.0))
            continue
        total += 1
        if code == 0xFFFD or 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or map_error(tp, i) or code < 0x20:
            bad += 1
            continue
        get_box(tp, i, rect_p)
        out.append((i, chr(code), rect.left, height - rect.top, rect.right, height - rect.bottom))
    if bad < GARBAGE_SHARE * total:
        text = "".join(c[1] for c in out)
        if "(cid:" in text:
            bad += sum(len(m.group(0)) for m in _CID_RE.finditer(text))
    return out, bad, total


def _has_image(raw, page) -> bool:  # noqa: ANN001 - ctypes handles
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                if raw.FPDFPageObj_GetType(raw.FPDFFormObj_GetObject(obj, j)) == raw.FPDF_PAGEOBJ_IMAGE:
                    return True
    return False


# ---------------------------------------------------------------- segments


def _segments(raw, tp, chars: list[tuple]) -> list[_Seg]:  # noqa: ANN001 - ctypes handles
    """Runs of characters (in the order painted), merged per line into segments."""
    runs: list[list[tuple]] = []
    vertical: list[bool] = []
    run: list[tuple] = []
    is_vertical = False
    space = ""  # " " after a space of the file, "g" after one PDFium made up
    for c in chars:
        if c[1] in (" ", ""):
            space = " " if c[1] == " " else (space or "g")
            continue
        if run:
            last = run[-1]
            if not is_vertical and _follows(last, c):
                if space and _spaced(last[1], c[1], space == " "):
                    run.append((c[0], " ", c[2], c[3], c[2], c[5]))
                run.append(c)
                space = ""
                continue
            if (len(run) == 1 or is_vertical) and _below(last, c):
                run.append(c)
                is_vertical = True
                space = ""
                continue
            runs.append(run)
            vertical.append(is_vertical)
        run, is_vertical, space = [c], False, ""
    if run:
        runs.append(run)
        vertical.append(is_vertical)
    segs = [_make_seg(raw, tp, r, v) for r, v in zip(runs, vertical, strict=True)]
    return _merge_lines(segs)


def _spaced(prev: str, nxt: str, real: bool) -> bool:
    """Whether a space between ``prev`` and ``nxt`` is kept: never between two Chinese characters."""
    latin = prev.isascii() and prev.isalnum(), nxt.isascii() and nxt.isalnum()
    return all(latin) if not real else any(latin)


def _follows(a: tuple, b: tuple) -> bool:
    """``b`` continues ``a`` on the same line, to its right."""
    ha, hb = a[5] - a[3], b[5] - b[3]
    h = min(ha, hb)
    if h <= 0:
        return False
    overlap = min(a[5], b[5]) - max(a[3], b[3])
    if overlap < 0.5 * h:
        return False
    return a[2] - 0.3 * h <= b[2] and b[2] - a[4] <= GAP_EM * max(ha, hb)


def _below(a: tuple, b: tuple) -> bool:
    """``b`` is right below ``a``: the next character of vertical text."""
    wa, wb = a[4] - a[2], b[4] - b[2]
    w = min(wa, wb)
    if w <= 0:
        return False
    overlap = min(a[4], b[4]) - max(a[2], b[2])
    h = a[5] - a[3]
    return overlap >= 0.6 * w and a[5] - 0.3 * h <= b[3] <= a[5] + 0.6 * h


def _make_seg(raw, tp, run: list[tuple], vertical: bool) -> _Seg:  # noqa: ANN001 - ctypes handles
    sizes = sorted((c[4] - c[2]) if vertical else (c[5] - c[3]) for c in run if c[1] != " ")
    size = sizes[len(sizes) // 2] if sizes else 1.0
    # The type size PDFium reports (the same for a Latin fallback font and the Chinese font of a
    # line, whose boxes differ) and the colour tell captions and boxes from running text.
    picks = sorted(raw.FPDFText_GetFontSize(tp, run[k][0]) for k in {0, len(run) // 2, len(run) - 1})
    return _Seg(
        [c[1] for c in run],
        min(c[2] for c in run),
        min(c[3] for c in run),
        max(c[4] for c in run),
        max(c[5] for c in run),
        size,
        (round(picks[len(picks) // 2] * 2) / 2, _colour(raw, tp, run[0][0])),
        vertical,
    )


def _colour(raw, tp, index: int) -> int:  # noqa: ANN001 - ctypes handles
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFText_GetFillColor(tp, index, r, g, b, a):
        return 0
    return (r.value << 16) | (g.value << 8) | b.value


def _merge_lines(segs: list[_Seg]) -> list[_Seg]:
    """Merge runs that sit side by side on one line with less than a gap between them.

    Painting order splits lines where a producer drew words separately; this
    puts them back together whatever order they came in.
    """
    horizontal = sorted((s for s in segs if not s.vertical), key=lambda s: (s.yc, s.x0))
    out: list[_Seg] = [s for s in segs if s.vertical]
    lines: list[list[_Seg]] = []
    for s in horizontal:
        if lines:
            ref = lines[-1][0]
            if abs(s.yc - ref.yc) <= 0.35 * max(ref.size, s.size):
                lines[-1].append(s)
                continue
        lines.append([s])
    for line in lines:
        line.sort(key=lambda s: s.x0)
        cur = line[0]
        for s in line[1:]:
            gap = s.x0 - cur.x1
            em = max(cur.size, s.size)
            if -0.3 * em <= gap <= GAP_EM * em and abs(s.size - cur.size) <= 0.3 * em:
                if gap > 0.25 * em and cur.chars[-1] != " " and _spaced(cur.chars[-1], s.chars[0], False):
                    cur.chars.append(" ")
                cur.chars.extend(s.chars)
                cur.x1 = max(cur.x1, s.x1)
                cur.y0, cur.y1 = min(cur.y0, s.y0), max(cur.y1, s.y1)
            else:
                out.append(cur)
                cur = s
        out.append(cur)
    return out


# ---------------------------------------------------------------- layout


def _em(segs: Iterable[_Seg]) -> float:
    sizes = [s.size for s in segs]
    return statistics.median(sizes) if sizes else 1.0


def _bands(segs: list[_Seg]) -> list[list[_Seg]]:
    """Segments grouped by vertical overlap, top to bottom."""
    bands: list[list[_Seg]] = []
    bottom = 0.0
    for s in sorted(segs, key=lambda s: (s.y0, s.x0)):
        if bands and s.y0 < bottom - 0.25 * s.size:
            bands[-1].append(s)
            bottom = max(bottom, s.y1)
        else:
            bands.append([s])
            bottom = s.y1
    return bands


def _gutters(segs: Iterable[_Seg], min_gap: float) -> list[tuple[float, float]]:
    """Vertical strips free of text, at least ``min_gap`` wide, between the segments."""
    spans = sorted((s.x0, s.x1) for s in segs)
    out = []
    if not spans:
        return out
    right = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - right >= min_gap:
            out.append((right, x0))
        right = max(right, x1)
    return out


def _is_figure(text: str) -> bool:
    text = text.strip()
    return bool(text) and _FIGURE_RE.fullmatch(text) is not None and any(ch.isdigit() for ch in text)


def _is_table(bands: list[list[_Seg]]) -> bool:
    """Mostly rows of two or more figures side by side: a table."""
    if len(bands) < 2:
        return False
    rows = sum(1 for band in bands if _table_row(band))
    return rows >= 2 and rows >= 0.4 * len(bands)


def _group_bands(bands: list[list[_Seg]], min_gap: float) -> list[list[list[_Seg]]]:
    """Consecutive bands with the same column structure.

    A band with text side by side starts a column group, which takes the
    bands that follow while one of its gutters stays free (a heading or the
    last lines of one column included), except a row of a table that spreads
    over its columns and a line in the first column below the end of all
    the others (what follows the columns: a heading, a table). Single-column
    bands right above it that fit in one of its columns (a heading at the top
    of the left column, the first line of the right one) are taken into it
    too; what crosses its gutters (a title, a caption over the full width)
    stays a group of its own.
    """
    groups: list[list[list[_Seg]]] = []
    columns: list[bool] = []
    members: list[_Seg] = []
    for band in bands:
        if groups and columns[-1] and _continues_columns(members, band, min_gap):
            groups[-1].append(band)
            members.extend(band)
            continue
        own = bool(_gutters(band, min_gap)) or _tall(band)
        if groups and not own and not columns[-1]:
            groups[-1].append(band)
            members.extend(band)
            continue
        group, members = [band], list(band)
        if own and groups and not columns[-1]:
            prev = groups[-1]
            while prev and _gutters([*members, *prev[-1]], min_gap):
                group.insert(0, prev.pop())
                members.extend(group[0])
            if not prev:
                groups.pop()
                columns.pop()
        groups.append(group)
        columns.append(own)
    return groups


def _table_row(band: list[_Seg]) -> bool:
    return len(band) >= 3 and sum(_is_figure(s.text) for s in band) >= 2


def _continues_columns(members: list[_Seg], band: list[_Seg], min_gap: float) -> bool:
    """Whether ``band`` belongs to the column group of ``members``."""
    gutters = _gutters([*members, *band], min_gap)
    if not gutters:
        return False

    def column(s: _Seg) -> int:
        return sum(1 for g in gutters if s.x0 >= g[1])

    used = {column(s) for s in band}
    if len(used) > 1:
        # side by side: columns going on, unless a table row spreads over prose columns
        return (
            not _table_row(band)
            or sum(_table_row([s]) or _is_figure(s.text) for s in members) > len(members) / 3
        )
    if used != {0}:
        return True
    # A line in the first column only, the other columns ended above it: the last lines of the first
    # column (a balanced last fragment), unless it stands apart from all that is above it and is set
    # in another type: what follows the columns (a heading of the next section).
    top = min(s.y0 for s in band)
    if any(column(s) > 0 and s.y1 > top for s in members):
        return True
    gap = top - max(s.y1 for s in members)
    return gap <= _em(band) or _same_style(_style(band), _style(s for s in members if column(s) == 0))


def _tall(band: list[_Seg]) -> bool:
    """A band taller than two lines: columns side by side whose lines do not align."""
    em = _em(band)
    return max(s.y1 for s in band) - min(s.y0 for s in band) > 2.2 * em


def layout(segs: list[_Seg], min_gap: float | None = None, depth: int = 0) -> list[_Block]:
    """Blocks of ``segs`` in reading order (see the module docstring).

    Args:
        segs: The segments of a page (or of a part of it).
        min_gap: Narrowest gutter between columns (default: :data:`GAP_EM` ems).
        depth: Recursion depth (guards against pathological pages).

    Returns:
        Blocks in reading order.
    """
    if not segs:
        return []
    if min_gap is None:
        min_gap = GAP_EM * _em(segs)
    bands = _bands(segs)
    groups = _group_bands(bands, min_gap)
    if len(groups) > 1 and depth < 64:
        return [b for g in groups for b in layout([s for band in g for s in band], min_gap, depth + 1)]
    if _is_table(bands):
        return [_table_block(bands)]
    gutters = _gutters(segs, min_gap)
    side_by_side = any(_tall(band) or _gutters(band, min_gap) for band in bands)
    if gutters and side_by_side and (len(bands) > 1 or _tall(bands[0])) and depth < 64:
        columns: list[list[_Seg]] = [[] for _ in range(len(gutters) + 1)]
        for s in segs:
            columns[sum(1 for g in gutters if s.x0 >= g[1])].append(s)
        if all(s.vertical for s in segs):
            columns.reverse()  # vertical text is read right to left
        return [b for col in columns if col for b in layout(col, min_gap, depth + 1)]
    return [_text_block(segs)]


def _lines(segs: list[_Seg]) -> list[list[_Seg]]:
    """Segments of a block as lines, top to bottom, each left to right."""
    lines: list[list[_Seg]] = []
    for s in sorted(segs, key=lambda s: (s.y0, s.x0)):
        if lines and not s.vertical and not lines[-1][0].vertical:
            ref = lines[-1][0]
            if s.y0 < ref.y1 - 0.5 * min(ref.size, s.size):
                lines[-1].append(s)
                continue
        lines.append([s])
    for line in lines:
        line.sort(key=lambda s: s.x0)
    return lines


def _style(segs: Iterable[_Seg]) -> tuple[float, int]:
    weight: Counter = Counter()
    for s in segs:
        weight[s.style] += len(s.chars)
    return weight.most_common(1)[0][0] if weight else (0.0, 0)


def _line(segs: list[_Seg]) -> _Line:
    return _Line(" ".join(s.text.strip() for s in segs), segs[0].x0, max(s.x1 for s in segs), _style(segs))


def _style_of_lines(lines: list[_Line]) -> tuple[float, int]:
    weight: Counter = Counter()
    for line in lines:
        weight[line.style] += len(line.text)
    return weight.most_common(1)[0][0]


def _text_block(segs: list[_Seg]) -> _Block:
    lines = _lines(segs)
    em = _em(segs)
    left = min(s.x0 for s in segs)
    gaps = [lines[i][0].y0 - max(s.y1 for s in lines[i - 1]) for i in range(1, len(lines))]
    usual = statistics.median(gaps) if gaps else 0.0
    out = [_line(line) for line in lines]
    right = max(s.x1 for s in segs)
    breaks, hard = [False], [False]
    for i in range(1, len(lines)):
        prev, line = out[i - 1], out[i]
        indent = line.x0 - left >= 1.5 * em and prev.x0 - left < 0.5 * em
        gap = gaps[i - 1] > usual + 0.6 * em
        restyled = not _same_style(line.style, prev.style)
        if restyled and not gap and not indent and _inline_colour(prev, line, right, em):
            restyled = False  # a wrapped line set in another colour: the same paragraph goes on
        hard.append(indent or (gap and not restyled) or lines[i][0].vertical)
        breaks.append(hard[-1] or gap or restyled)
    return _Block(out, breaks, left, right, em, _style(segs), hard=hard)


def _inline_colour(prev: _Line, line: _Line, right: float, em: float) -> bool:
    """``line`` differs from ``prev`` in colour only, and ``prev`` wraps into it mid-sentence."""
    size_a, size_b = prev.style[0], line.style[0]
    if abs(size_a - size_b) > 0.06 * max(size_a, size_b) or prev.x1 < right - 1.5 * em:
        return False
    last = prev.text.rstrip()
    while last and last[-1] in _CLOSERS:
        last = last[:-1]
    return bool(last) and last[-1] not in _SENT_END


def _table_block(bands: list[list[_Seg]]) -> _Block:
    segs = [s for band in bands for s in band]
    rows = [_line(line) for band in bands for line in _lines(band)]
    left, right = min(s.x0 for s in segs), max(s.x1 for s in segs)
    return _Block(rows, [False] * len(rows), left, right, _em(segs), _style(segs), table=True)


# ---------------------------------------------------------------- headers and footers


def _margin_segments(page: _Page) -> list[tuple[str, _Seg]]:
    """Segments of the top and bottom margin bands, each with its zone."""
    if not page.segs:
        return []
    bands = _bands(page.segs)
    out: list[tuple[str, _Seg]] = []
    limit = MARGIN_SHARE * page.height
    for i, band in enumerate(bands[:2]):
        bottom = max(s.y1 for s in band)
        nxt = bands[i + 1] if i + 1 < len(bands) else None
        if bottom > limit or (nxt is not None and min(s.y0 for s in nxt) - bottom < _em(band)):
            break
        out.extend(("top", s) for s in band)
    for i, band in enumerate(reversed(bands[-2:] if len(bands) > 1 else [])):
        top = min(s.y0 for s in band)
        j = len(bands) - 1 - i
        prev = bands[j - 1] if j > 0 else None
        if top < page.height - limit or (prev is not None and top - max(s.y1 for s in prev) < _em(band)):
            break
        out.extend(("bottom", s) for s in band)
    return out


def _key(text: str) -> str:
    return _DIGITS_RE.sub("#", "".join(text.split()))


def remove_running_lines(pages: list[_Page]) -> None:
    """Drop running headers, footers and page numbers (see the module docstring)."""
    found = [_margin_segments(p) for p in pages]
    seen: Counter = Counter()
    for items in found:
        seen.update({(zone, _key(s.text)) for zone, s in items})
    for page, items in zip(pages, found, strict=True):
        drop = set()
        for zone, s in items:
            text = s.text.strip()
            if seen[(zone, _key(text))] >= 2 or _PAGE_NUMBER_RE.fullmatch(text):
                drop.add(id(s))
        if drop:
            page.segs = [s for s in page.segs if id(s) not in drop]


# ---------------------------------------------------------------- captions and boxes


def _same_style(a: tuple[float, int], b: tuple[float, int]) -> bool:
    return abs(a[0] - b[0]) <= 0.06 * max(a[0], b[0]) and a[1] == b[1]


def defer_insets(blocks: list[_Block]) -> list[_Block]:
    """Move captions and boxes that interrupt a sentence after the end of that sentence.

    A block in another style right after running text that ends
    mid-sentence, followed by a block in the style of that text, was placed
    inside its flow (a figure caption, a side box, a pull quote): the
    sentence goes on in the block after it, so the inset moves after the
    block that ends the sentence.
    """
    out = list(blocks)
    i = 1
    while i < len(out) - 1:
        a = out[i - 1]
        if not (a.open and a.prose) or _same_style(out[i].style, a.style):
            i += 1
            continue
        j = i
        while j < len(out) and not _same_style(out[j].style, a.style):
            j += 1
        if j == len(out) or out[j].table or out[j].indented():
            i += 1
            continue
        k = j
        while k < len(out) - 1 and out[k].open and _same_style(out[k + 1].style, a.style):
            k += 1
        out[i : k + 1] = [*out[j : k + 1], *out[i:j]]
        i = k + 1
    return out


# ---------------------------------------------------------------- the document


def assemble(
    pages: list[_Page], path: Path | str, warn: Callable[[str], None], title: str | None = None
) -> Extracted:
    """Turn read pages into the document text, page map and warnings.

    Blocks are joined by a blank line, or with nothing in between where a
    sentence goes on in the next column or on the next page; each page
    starts where its first character lands.

    Args:
        pages: Pages with their segments and status.
        path: The file, for messages.
        warn: Receives one line per kind of page left out.
        title: Title from the document information.

    Returns:
        The extracted document.

    Raises:
        InputError: No page has any text.
    """
    remove_running_lines(pages)
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    prev: _Block | None = None
    lost = False  # a page was left out since the last block
    waiting = 0  # pages without text whose start is the next page's
    for page in pages:
        blocks = (
            defer_insets([p for b in layout(page.segs) for p in b.paragraphs()])
            if page.status == "text"
            else []
        )
        for n, block in enumerate(blocks):
            text = block.text()
            if prev is not None:
                sep = _glue(parts[-1], text) if not lost and prev.continued_by(block) else PARAGRAPH
                lost = False
                parts.append(sep)
                pos += len(sep)
            if n == 0:
                starts.extend([pos] * (waiting + 1))  # pages without text start where this one does
                waiting = 0
            parts.append(text)
            pos += len(text)
            prev = block
        if not blocks:
            waiting += 1
            lost = lost or page.status != "blank"  # no sentence goes on across a page left out
    starts.extend([pos] * waiting)
    scanned = [p.number for p in pages if p.status == "scanned"]
    garbage = [p.number for p in pages if p.status == "garbage"]
    damaged = [p.number for p in pages if p.status == "damaged"]
    text = "".join(parts)
    if not text.strip():
        if damaged and len(damaged) == len(pages):
            raise InputError(f"{path}: not a readable PDF (no page could be loaded)")
        if scanned:
            raise InputError(f"{path}: no page has a text layer (scanned?); run OCR on it first")
        if garbage:
            raise InputError(f"{path}: the text of every page is unreadable (fonts without a Unicode map)")
        raise InputError(f"{path}: no text in the PDF")
    if scanned:
        pages_have = f"{_pages_word(scanned)} {page_ranges(scanned)} {_have(scanned)}"
        warn(f"{path}: {pages_have} no text layer (scanned?); skipped")
    if garbage:
        warn(
            f"{path}: {_pages_word(garbage)} {page_ranges(garbage)} {_have(garbage)} unreadable text "
            "(U+FFFD, private-use or unmapped characters); skipped"
        )
    if damaged:
        warn(f"{path}: {_pages_word(damaged)} {page_ranges(damaged)} could not be read (damaged); skipped")
    skipped = tuple(sorted(scanned + garbage + damaged))
    return Extracted(text=text, pages=tuple(starts), title=title, skipped_pages=skipped)


def _pages_word(numbers: list[int]) -> str:
    return "page" if len(numbers) == 1 else "pages"


def _have(numbers: list[int]) -> str:
    return "has" if len(numbers) == 1 else "have"
