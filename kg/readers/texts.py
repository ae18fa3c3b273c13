"""The extracted texts of a build, kept under ``DIR/texts/`` so that every span can be checked.

Character offsets in the graph point into a document's text. For a text
file that is the file itself (decoded); for a PDF, web page or Word file it
is what :mod:`kg.readers` extracted, which exists nowhere else. A build
therefore writes ``texts/<id>.txt`` (UTF-8, byte for byte the text the
offsets count in) for each such document and, for PDFs,
``texts/<id>.pages.json`` with the offset where each page starts::

    {"id": "report", "source": "report.pdf", "pages": [0, 1185, 2380]}

so ``text[start:end]`` of a mention is its ``kg:anchorText`` and page ``n``
is ``text[pages[n-1]:pages[n]]``. Texts are written to a temporary folder as
documents stream through the build and moved into the staging folder with
the other outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from kg.model import Document
from kg.readers import is_converted

#: name of the folder in the build output
FOLDER = "texts"
_UNSAFE = re.compile(r"[^\w.\-]+")


def file_stem(doc_id: str) -> str:
    """A file name for a document id: word characters, dots and dashes (Chinese kept)."""
    stem = _UNSAFE.sub("_", doc_id).strip("._") or "document"
    return stem[:150]


class ExtractedTexts:
    """Collects the extracted texts of converted documents during a build.

    Use as a context manager; the temporary folder goes away on exit.
    """

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._used: set[str] = set()
        #: document id -> file stem, for the documents kept
        self.stems: dict[str, str] = {}

    def add(self, doc: Document) -> bool:
        """Keep the text of ``doc`` if a reader extracted it.

        Args:
            doc: A document as read (with its text).

        Returns:
            True when the text was kept.
        """
        if not is_converted(doc) or doc.id in self.stems:
            return False
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="kg-texts-"))
        stem, n = file_stem(doc.id), 1
        while stem.lower() in self._used:
            n += 1
            stem = f"{file_stem(doc.id)}-{n}"
        self._used.add(stem.lower())
        self.stems[doc.id] = stem
        with open(self._folder / f"{stem}.txt", "w", encoding="utf-8", newline="") as f:
            f.write(doc.text)
        if doc.pages is not None:
            record = {"id": doc.id, "source": doc.source, "pages": list(doc.pages)}
            (self._folder / f"{stem}.pages.json").write_text(
                json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        return True

    def move_into(self, stage: Path) -> bool:
        """Move the kept texts to ``stage/texts``.

        Returns:
            True when there were texts to move.
        """
        if self._folder is None:
            return False
        from kg.atomic import new_folder_mode

        os.chmod(self._folder, new_folder_mode())  # mkdtemp's folder is its owner's only
        shutil.move(str(self._folder), str(stage / FOLDER))
        self._folder = None
        return True

    def close(self) -> None:
        """Remove the temporary folder (if the texts were not moved)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> ExtractedTexts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_texts_folder(folder: Path) -> bool:
    """True when ``folder`` holds only what :class:`ExtractedTexts` writes (safe to replace)."""
    return folder.is_dir() and all(
        p.is_file() and (p.name.endswith(".txt") or p.name.endswith(".pages.json")) for p in folder.iterdir()
    )
