"""Word files with python-docx: paragraphs and table cells in document order.

Headings (the Title and Heading styles) are written as Markdown headings
(``## 标题``, ``### 小节``), one paragraph each, so they stay headings
through text preparation (which drops the marks) and read as such in
``kg text``. A table is written row by row, its cells separated by a space
(as the rows of a PDF table, so ``指标 2021 2022 2023`` stays a header above
its figures); a cell merged over several columns is written once.
Paragraphs are two blank lines apart (:data:`kg.readers.PARAGRAPH`). The
title is the document's title property, else its first heading.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.readers import PARAGRAPH, Extracted

_HEADING_RE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def read(path: Path, warn: Callable[[str], None]) -> Extracted:
    """Extract the paragraphs, headings and tables of a ``.docx`` file.

    Args:
        path: The file.
        warn: Unused.

    Returns:
        The text and the title.

    Raises:
        InputError: The file is not a readable ``.docx`` (an old ``.doc``, damaged, not Word).
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Word .docx file ({type(exc).__name__}: {exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    blocks: list[str] = []
    first_heading = None
    for kind, text in _body(document):
        if kind == "heading" and first_heading is None:
            first_heading = text.lstrip("# ")
        blocks.append(text)
    if not blocks:
        raise InputError(f"{path}: no text in the document")
    title = (document.core_properties.title or "").strip() or first_heading
    return Extracted(text=PARAGRAPH.join(blocks), title=title)


def _body(document) -> Iterator[tuple[str, str]]:  # noqa: ANN001 - docx.Document
    """``(kind, text)`` of each paragraph, heading and table of the body, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            level = _heading_level(paragraph)
            if level is not None:
                yield "heading", "#" * (level + 1) + " " + " ".join(text.split())
            else:
                yield "paragraph", text
        elif tag == "tbl":
            rows = _table_rows(Table(child, document))
            if rows:
                yield "table", "\n".join(rows)


def _heading_level(paragraph) -> int | None:  # noqa: ANN001 - docx paragraph
    name = paragraph.style.name if paragraph.style is not None else ""
    if name in ("Title", "标题"):
        return 1
    match = _HEADING_RE.match(name)
    return max(1, int(match.group(1))) if match else None


def _table_rows(table) -> list[str]:  # noqa: ANN001 - docx table
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a cell merged over several columns comes once per column
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append(" ".join(cells))
    return rows
