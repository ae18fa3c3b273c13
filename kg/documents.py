"""Reading input documents: text files, folders of them, JSON Lines, the bundled corpus.

Every reader yields :class:`kg.model.Document` records whose ``text`` is the
decoded original; all offsets computed later refer to it. PDF, HTML and Word
files are read by :mod:`kg.readers`, whose text is the extracted text (with a
page map for PDFs). Problems with input
the user named explicitly raise :class:`kg.errors.InputError` with a one-line
message naming the file (and, for JSON Lines, the line).
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import EmptyInputError, InputError
from kg.metadata import detect_publisher, detect_script, detect_year
from kg.model import Document
from kg.readers import SUFFIXES as READER_SUFFIXES
from kg.readers import extract
from kg.textunits import HAN_RE

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
_FOLDER_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + READER_SUFFIXES

# Encodings charset-normalizer may choose between once strict UTF-8 and the
# BOMs have failed: the Chinese legacy encodings and BOM-less UTF-16.
_CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of characters that must be printable text for a decoding to count.
_MIN_PLAUSIBLE = 0.95
_PLAUSIBLE_SAMPLE = 200_000
# JSON Lines records end at a line feed (CR LF and a lone CR are accepted).
# Not str.splitlines: it also breaks at U+2028, U+0085 and U+001C-U+001E,
# which json.dumps(..., ensure_ascii=False) leaves unescaped inside strings.
_JSONL_LINE_END = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class ReadReport:
    """What :func:`read_inputs` did besides yielding documents.

    Attributes:
        documents: Number of documents yielded.
        skipped: Files inside folders that were skipped (unreadable, binary,
            undecodable, encrypted or damaged PDFs), as ``(path, reason)``.
        empty: Documents skipped because they had no text.
    """

    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        """Number of files skipped inside folders."""
        return len(self.skipped)


def read_inputs(
    paths: Sequence[str | Path],
    *,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
    report: ReadReport | None = None,
    exclude: Sequence[str | Path] = (),
) -> Iterator[Document]:
    """Yield the documents in ``paths``.

    Args:
        paths: ``.txt``/``.md`` files and PDF, HTML and Word files (one
            document each, id = file stem), folders of them (read recursively
            in sorted order) and ``.jsonl`` files (one document per line).
        strict: Raise on a bad file inside a folder instead of skipping it.
        warn: Called with a one-line message for each skipped file, empty
            document, and PDF whose pages had to be left out.
        report: Filled in with counts of documents and skipped files.
        exclude: Folders not to read inside the folders of ``paths`` (the
            build's output folder, whose ``texts/`` and ``graph.html`` are
            no input).

    Yields:
        One :class:`Document` per input document that has any text.

    Raises:
        InputError: A path given explicitly is missing, unreadable, binary,
            has an unsupported extension, is an encrypted or damaged PDF, or a
            JSON Lines record is malformed.
        EmptyInputError: No document with any text was found.
    """
    report = report if report is not None else ReadReport()
    say = warn or (lambda _msg: None)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            docs = _read_folder(path, strict=strict, say=say, report=report, exclude=exclude)
        elif not path.exists():
            raise InputError(f"{path}: no such file or folder")
        elif path.suffix.lower() in JSONL_SUFFIXES:
            docs = read_jsonl(path)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            docs = iter([read_text_file(path)])
        elif path.suffix.lower() in READER_SUFFIXES:
            docs = iter([read_document(path, say)])
        else:
            raise InputError(
                f"{path}: unsupported file type {path.suffix or '(none)'!r}; expected "
                ".txt, .md, .jsonl, .pdf, .html or .docx"
            )
        for doc in docs:
            if not doc.text.strip():
                report.empty.append(doc.source or doc.id)
                say(f"{doc.source or doc.id}: no text, skipped")
                continue
            report.documents += 1
            yield doc
    if report.documents == 0:
        raise EmptyInputError("no document with any text was found in the input")


def _read_folder(
    folder: Path,
    *,
    strict: bool,
    say: Callable[[str], None],
    report: ReadReport,
    exclude: Sequence[str | Path] = (),
) -> Iterator[Document]:
    skip = [Path(e).resolve() for e in exclude]
    files = sorted(
        (
            p
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix.lower() in _FOLDER_SUFFIXES
            and not any(p.resolve().is_relative_to(e) for e in skip)
        ),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    for path in files:
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                # Parse the whole file first so that a bad line skips the file,
                # not the documents after it only.
                docs = list(read_jsonl(path))
            elif path.suffix.lower() in READER_SUFFIXES:
                docs = [read_document(path, say)]
            else:
                docs = [read_text_file(path)]
        except InputError as exc:
            if strict:
                raise
            report.skipped.append((str(path), str(exc)))
            say(f"skipped {exc}")
            continue
        yield from docs


def read_text_file(path: str | Path) -> Document:
    """Read one ``.txt``/``.md`` file as a document.

    Publisher, year and script are read from the text.

    Args:
        path: The file.

    Returns:
        The document; its id is the file stem.

    Raises:
        InputError: The file is unreadable, binary or undecodable.
    """
    path = Path(path)
    text = decode_bytes(_read_bytes(path), str(path))
    return Document(
        id=_name_text(path.stem),
        text=text,
        publisher=detect_publisher(text),
        year=detect_year(text),
        source=_name_text(path.name),
        script=detect_script(text),
    )


def read_document(path: str | Path, warn: Callable[[str], None] | None = None) -> Document:
    """Read a PDF, HTML or Word file as a document (:mod:`kg.readers`).

    The id is the file stem and the source the file name, as for text
    files; publisher, year and script are read from the extracted text (the
    year from the publication date first, for web pages).

    Args:
        path: The file.
        warn: Receives one-line warnings about pages left out.

    Returns:
        The document, with its page map for PDFs.

    Raises:
        InputError: The file is unreadable, encrypted, damaged or empty (see
            :func:`kg.readers.extract`).
    """
    path = Path(path)
    got = extract(path, warn)
    text = got.text
    return Document(
        id=_name_text(path.stem),
        text=text,
        publisher=detect_publisher(text),
        year=int(got.date[:4]) if got.date else detect_year(text),
        title=got.title,
        source=_name_text(path.name),
        script=detect_script(text),
        kind=got.kind,
        pages=got.pages,
        date=got.date,
    )


def read_jsonl(path: str | Path) -> Iterator[Document]:
    """Yield the documents of a JSON Lines file.

    Each non-blank line is an object with string ``id`` and ``text`` and
    optional ``publisher``, ``year``, ``title``, ``source``, ``script``, ``kind``.
    Missing publisher, year and script are read from the text.

    Args:
        path: The ``.jsonl`` file.

    Yields:
        One document per record.

    Raises:
        InputError: The file is unreadable or binary, a line is not a JSON
            object, or a record lacks a string ``text``.
    """
    path = Path(path)
    content = decode_bytes(_read_bytes(path), str(path))
    for lineno, line in enumerate(_JSONL_LINE_END.split(content), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise InputError(f"{where}: JSON nested too deeply") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
        text = record.get("text")
        if not isinstance(text, str):
            problem = "missing" if text is None else f"a {type(text).__name__}, not a string"
            raise InputError(f"{where}: field 'text' is {problem}")
        doc_id = record.get("id", f"{_name_text(path.stem)}-{lineno}")
        if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
            raise InputError(f"{where}: field 'id' must be a string")
        year = record.get("year")
        if year is not None:
            try:
                if isinstance(year, bool):
                    raise TypeError
                year = int(year)
            except (TypeError, ValueError, OverflowError):
                raise InputError(f"{where}: field 'year' must be a year, got {year!r}") from None
        else:
            year = detect_year(text)
        for key in ("publisher", "title", "source", "script", "kind"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{where}: field {key!r} must be a string")
        for key in ("id", "text", "publisher", "title", "source", "script", "kind"):
            value = record.get(key)
            if isinstance(value, str) and not _encodable(value):
                raise InputError(f"{where}: field {key!r} holds an unpaired surrogate (not Unicode text)")
        yield Document(
            id=str(doc_id),
            text=text,
            publisher=record.get("publisher") or detect_publisher(text),
            year=year,
            title=record.get("title"),
            source=record.get("source") or f"{_name_text(path.name)}:{lineno}",
            script=record.get("script") or detect_script(text),
            kind=record.get("kind"),
        )


def _encodable(value: str) -> bool:
    """False for strings with lone surrogates (``"\\ud800"`` in JSON), which no file can hold."""
    return _SURROGATE.search(value) is None


def _name_text(name: str) -> str:
    """A file name as text, fit for ids and provenance.

    Names that are not UTF-8 on disk reach Python with lone surrogates
    (PEP 383), which no output file can hold. Such names are mostly GBK, from
    archives made on Chinese Windows.
    """
    if _SURROGATE.search(name) is None:
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode the bytes of a text file whose encoding is not declared.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then
    charset-normalizer restricted to GB18030 (a superset of GBK/GB2312), Big5
    and BOM-less UTF-16. Every result must look like text (mostly printable
    characters) or the file is called binary. Restricting the candidates
    matters: on short Chinese texts an unrestricted detector readily picks a
    Cyrillic or Korean code page.

    Args:
        data: File content.
        name: File name for error messages.

    Returns:
        The decoded text (BOM removed).

    Raises:
        InputError: The bytes look binary or match none of the encodings.
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if _plausible(text):
                return text.lstrip("\ufeff")
            raise InputError(f"{name}: looks binary (not text after a {encoding} byte-order mark)")
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if _plausible(text):
                return text
            raise InputError(f"{name}: looks binary (control characters)")
    text = _detect(data, has_nul)
    if text is None:
        raise InputError(f"{name}: looks binary (no text encoding fits)")
    return text


#: encodings tried by a strict decode when charset-normalizer proposes none (NUL-free bytes only)
_STRICT_FALLBACK = ("gb18030", "big5")


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes, has_nul: bool) -> str | None:
    from charset_normalizer import from_bytes  # deferred: import is slow

    # NUL bytes in text only happen in UTF-16; elsewhere they mean binary.
    # Without them, UTF-16 would be text with no ASCII at all (not even a
    # line break), so it is left out: it otherwise wins on short inputs.
    candidates = ["utf_16_le", "utf_16_be"] if has_nul else _CANDIDATE_ENCODINGS
    matches = from_bytes(data, cp_isolation=candidates)
    texts = [str(match) for match in matches]
    if not texts and not has_nul:
        # the detector gives up on some short, repetitive texts (万万万…中中中…); a strict decode
        # that gives plausible Chinese is still an answer
        texts = [t for t in (_strict(data, enc) for enc in _STRICT_FALLBACK) if t is not None]
    plausible = [t for t in texts if _plausible(t) and _mostly_chinese_or_ascii(t)]
    if not plausible:
        return None
    # On short inputs GB18030 and Big5 both decode cleanly; the right one
    # gives common characters, the wrong one rare ones.
    return max(plausible, key=_common_share)


_SAMPLE_CHARS = 4000


def _mostly_chinese_or_ascii(text: str) -> bool:
    """True when the sample is mostly Chinese, ASCII, punctuation and spaces."""
    sample = text[:_SAMPLE_CHARS]
    ok = sum(1 for ch in sample if ch.isascii() or _is_chinese_or_punct(ch))
    return ok >= _MIN_PLAUSIBLE * len(sample)


def _is_chinese_or_punct(ch: str) -> bool:
    code = ord(ch)
    return (
        HAN_RE.match(ch) is not None
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2000 <= code <= 0x206F  # general punctuation (quotes, dashes)
        or unicodedata.category(ch).startswith(("P", "Z", "S", "N"))
    )


def _common_share(text: str) -> float:
    """Share of ideographs that are common in Simplified or Traditional use."""
    sample = [ch for ch in text[:_SAMPLE_CHARS] if HAN_RE.match(ch)]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if _is_common_hanzi(ch)) / len(sample)


@functools.lru_cache(maxsize=16384)
def _is_common_hanzi(ch: str) -> bool:
    # GB2312 level 1 (lead bytes B0-D7) holds the 3,755 most used Simplified
    # characters; Big5 A440-C67E the 5,401 most used Traditional ones.
    try:
        gb = ch.encode("gb2312")
        if 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b5 = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return (0xA4, 0x40) <= (b5[0], b5[1]) <= (0xC6, 0x7E)


def _plausible(text: str) -> bool:
    """True when ``text`` is mostly letters, digits, punctuation and spaces."""
    sample = text[:_PLAUSIBLE_SAMPLE]
    if not sample:
        return True
    bad = 0
    for ch in set(sample):
        if ch in "\n\r\t\f\ufeff":
            continue
        cat = unicodedata.category(ch)
        # Cc: control, Co: private use, Cs: surrogates, Cn: unassigned.
        if cat in ("Cc", "Co", "Cs", "Cn"):
            bad += sample.count(ch)
    return bad <= (1 - _MIN_PLAUSIBLE) * len(sample)


def bundled_corpus() -> list[Document]:
    """Return the sample corpus shipped with the package.

    Metadata (publisher, year, script, kind, title) comes from
    ``kg/data/corpus/manifest.json``, read with :mod:`importlib.resources`
    so it works from an installed package.

    Returns:
        The five documents, in manifest order.
    """
    corpus = resources.files("kg").joinpath("data", "corpus")
    manifest = json.loads(corpus.joinpath("manifest.json").read_text(encoding="utf-8"))
    docs = []
    for entry in manifest["documents"]:
        name = entry["file"]
        text = decode_bytes(corpus.joinpath(name).read_bytes(), name)
        docs.append(
            Document(
                id=Path(name).stem,
                text=text,
                publisher=entry.get("publisher"),
                year=entry.get("year"),
                title=entry.get("title"),
                source=name,
                script=entry.get("script") or detect_script(text),
                kind=entry.get("kind"),
            )
        )
    return docs
