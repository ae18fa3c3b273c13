"""Saved web pages: the main text with trafilatura, title and publication date as metadata.

The bytes are decoded here, not by the extractor: the encoding a page
declares (a byte-order mark, ``<meta charset>``, ``http-equiv``) is used
when Python knows it, GBK and GB2312 read as GB18030 (their superset, so a
page that declares GB2312 but uses GBK characters still decodes), and pages
that declare nothing are detected like text files
(:func:`kg.documents.decode_bytes`). trafilatura then finds the article
among the navigation, related links and footer; when it finds none (a page
that is all list, or not an article) the page's whole text is used. Its
paragraphs are two blank lines apart (:data:`kg.readers.PARAGRAPH`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError
from kg.readers import PARAGRAPH, Extracted

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: declared encodings read as a superset that decodes everything they do
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "x-gbk": "gb18030",
}
_DATE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def decode_html(data: bytes, name: str = "<bytes>") -> str:
    """Decode the bytes of a web page, preferring the encoding it declares.

    Args:
        data: The file's bytes.
        name: File name for error messages.

    Returns:
        The page as text.

    Raises:
        InputError: The page is not text in any encoding tried.
    """
    from kg.documents import decode_bytes

    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    match = _CHARSET_RE.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii").lower()
        encoding = _SUPERSETS.get(declared, declared)
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = None
        if encoding is not None:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass  # a page that lies about its encoding: detect it instead
    return decode_bytes(data, name)


def read(path: Path, warn: Callable[[str], None]) -> Extracted:
    """Extract the main text, title and date of a saved web page.

    Args:
        path: The ``.html`` file.
        warn: Unused (a page has no parts that can be lost alone).

    Returns:
        The article text (kind ``"news"``), its title and publication date.

    Raises:
        InputError: The file cannot be read or decoded, or has no text.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    page = decode_html(data, str(path))
    import trafilatura

    found = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True, include_images=False
    )
    text = (found.text or "") if found is not None else ""
    if not text.strip():
        text = trafilatura.html2txt(page) or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        raise InputError(f"{path}: no text in the page")
    title = (found.title or "").strip() or None if found is not None else None
    date = found.date if found is not None and found.date and _DATE_RE.fullmatch(found.date) else None
    return Extracted(text=PARAGRAPH.join(paragraphs), title=title, date=date, kind="news")
