"""Readers of documents that are not plain text: PDF reports, saved web pages, Word files.

Each reader turns one file into an :class:`Extracted`: the text the
extractors will read (every character offset of the graph points into it),
its page map when the source has pages, and the metadata the file itself
gives (title, publication date). :func:`kg.documents.read_document` makes a
:class:`kg.model.Document` of it, reading publisher, year and script from
the text the way :func:`kg.documents.read_text_file` does.

Readers are looked up by file suffix in :data:`READERS`; each lives in its
own module and imports its library only when a file of its kind is read.
Problems are :class:`kg.errors.InputError` with a one-line message naming the
file (encrypted or damaged PDF, a file that is not what its suffix says);
problems with some pages only are reported through ``warn`` and the rest of
the document is kept.
"""

from __future__ import annotations

import bisect
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Document

#: What separates the paragraphs of an extracted text: two blank lines, which text preparation
#: never joins across. The source's structure (a PDF's layout, HTML and Word paragraphs), not the
#: wording, says where a paragraph ends.
PARAGRAPH = "\n\n\n"


@dataclass(frozen=True)
class Extracted:
    """The text of one file and what the file says about itself.

    Attributes:
        text: The extracted text.
        pages: Offset in ``text`` where each page starts (``pages[0] == 0``;
            a page without text starts where the next one does), for paged
            sources; ``None`` otherwise.
        title: Title from the file's metadata or its first heading.
        date: Publication date ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) where given.
        kind: ``"news"`` for web pages, else ``None``.
        skipped_pages: 1-based numbers of the pages left out (no text layer, unreadable text).
    """

    text: str
    pages: tuple[int, ...] | None = None
    title: str | None = None
    date: str | None = None
    kind: str | None = None
    skipped_pages: tuple[int, ...] = ()

    def page_texts(self) -> list[str]:
        """The text of each page (the whole text as one page for unpaged sources)."""
        if self.pages is None:
            return [self.text]
        bounds = [*self.pages, len(self.text)]
        return [self.text[s:e] for s, e in zip(bounds, bounds[1:], strict=False)]


@dataclass(frozen=True)
class Reader:
    """A reader of one kind of file.

    Attributes:
        name: What users call the format (``"PDF"``).
        module: Module under :mod:`kg.readers` with a ``read(path, warn)`` function.
        suffixes: File suffixes it reads, lower case with the dot.
        paged: Whether its texts have pages.
    """

    name: str
    module: str
    suffixes: tuple[str, ...]
    paged: bool = False

    def read(self, path: Path, warn: Callable[[str], None]) -> Extracted:
        """Extract the text of ``path`` (see :func:`extract`)."""
        return importlib.import_module(f"kg.readers.{self.module}").read(path, warn)


_REGISTRY = (
    Reader("PDF", "pdf", (".pdf",), paged=True),
    Reader("HTML", "html", (".html", ".htm", ".xhtml")),
    Reader("Word", "docx", (".docx",)),
)
#: suffix -> reader
READERS: dict[str, Reader] = {suffix: r for r in _REGISTRY for suffix in r.suffixes}
#: every suffix a reader handles
SUFFIXES: tuple[str, ...] = tuple(READERS)


def reader_for(path: str | Path) -> Reader | None:
    """The reader of ``path`` by its suffix, or ``None`` for files no reader handles."""
    return READERS.get(Path(path).suffix.lower())


def extract(path: str | Path, warn: Callable[[str], None] | None = None) -> Extracted:
    """Extract the text of a PDF, HTML or Word file.

    Args:
        path: The file.
        warn: Called with one line per problem that loses part of the
            document (pages without a text layer, unreadable pages).

    Returns:
        The extracted text and metadata.

    Raises:
        InputError: The file is missing, unreadable, encrypted, damaged, or
            has a suffix no reader handles.
    """
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        raise InputError(f"{path}: no reader for {path.suffix or 'files without a suffix'!r}")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    return reader.read(path, warn or (lambda _msg: None))


def page_of(pages: Sequence[int] | None, offset: int) -> int | None:
    """The 1-based page holding character ``offset`` of a text with page map ``pages``.

    Args:
        pages: Start offset of each page, ascending; ``None`` for unpaged text.
        offset: A character offset into the text.

    Returns:
        The page number, or ``None`` when the text has no pages.
    """
    if not pages:
        return None
    return max(1, bisect.bisect_right(pages, offset))


def page_ranges(numbers: Sequence[int]) -> str:
    """Page numbers as ranges for a message: ``[3, 4, 5, 7]`` -> ``"3–5, 7"``."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(set(numbers)):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


def is_converted(doc: Document) -> bool:
    """True when ``doc`` was read by one of these readers (its text is not the file's own bytes)."""
    return doc.pages is not None or (doc.source is not None and reader_for(doc.source) is not None)


__all__ = [
    "PARAGRAPH",
    "READERS",
    "SUFFIXES",
    "Extracted",
    "Reader",
    "extract",
    "is_converted",
    "page_of",
    "page_ranges",
    "reader_for",
]
