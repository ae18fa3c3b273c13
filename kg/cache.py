"""Incremental builds: extraction results kept on disk, keyed by what produced them.

A cached :class:`~kg.extract.DocumentExtraction` is reused only when the
document (text and every metadata field) and the pipeline are the same as
when it was stored. "The same pipeline" is :func:`pipeline_fingerprint`:
:data:`kg.pipeline.PIPELINE_VERSION` plus a hash of the code and data files
that extraction reads (``extractors/``, text preparation, the extraction
unit itself). Editing a lexicon or a component therefore invalidates every
entry without anyone remembering to bump the version.

Entries are pickle files written atomically (:mod:`kg.atomic`), so a build
interrupted mid-write never leaves a truncated entry; an unreadable entry is
treated as a miss and overwritten.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.atomic import write_bytes_atomic
from kg.extract import DocumentExtraction
from kg.model import Document

log = logging.getLogger(__name__)

#: modules of ``kg`` whose code decides what extraction returns
_KG_EXTRACTION_MODULES = (
    "extract.py", "textprep.py", "textunits.py", "script.py", "news.py", "model.py", "pipeline.py",
    "metadata.py", "groups.py", "readers/__init__.py",
)
_FILE_SUFFIXES = (".py", ".json", ".jsonl", ".tsv", ".txt", ".csv")


def _hash_tree(h, root, prefix: str) -> None:
    """Feed every code/data file under ``root`` (a Traversable) into ``h``, in name order."""
    entries = sorted(root.iterdir(), key=lambda p: p.name)
    for entry in entries:
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if entry.name.startswith((".", "__pycache__")):
                continue
            _hash_tree(h, entry, name)
        elif entry.name.endswith(_FILE_SUFFIXES):
            h.update(name.encode())
            h.update(b"\0")
            h.update(hashlib.sha256(entry.read_bytes()).digest())


@functools.cache
def pipeline_fingerprint(places_dir: str | None = None, model: str | None = None) -> str:
    """A hash of everything that decides extraction output.

    Args:
        places_dir: Folder of the place gazetteer the pipeline reads instead of
            the bundled one; its files count too.
        model: :func:`kg.pipeline.model_identity`: ``None`` for the shipped
            model (part of the ``extractors`` package, which counts anyway),
            ``"rules"`` for no model, else a model folder whose files count.

    Returns:
        Hex sha256 of :data:`~kg.pipeline.PIPELINE_VERSION`, every code and
        data file of the ``extractors`` package and the ``kg`` modules that
        prepare text and run the pipeline.
    """
    from kg.pipeline import PIPELINE_VERSION

    base = fingerprint_of(PIPELINE_VERSION, resources.files("extractors"), resources.files("kg"))
    if places_dir is None and model is None:
        return base
    h = hashlib.sha256(base.encode())
    if places_dir is not None:
        _hash_tree(h, Path(places_dir), "places")
    if model == "rules":
        h.update(b"model\0rules\0")
    elif model is not None:
        _hash_tree(h, Path(model), "model")
    return h.hexdigest()


def fingerprint_of(version: str, extractors_root, kg_root) -> str:
    """The fingerprint of a pipeline version and its code and data folders.

    Args:
        version: The pipeline version string.
        extractors_root: Folder (path or ``Traversable``) of the components
            and their data; every code and data file in it counts.
        kg_root: Folder of the ``kg`` package; only the modules that prepare
            text and run extraction count.

    Returns:
        Hex sha256.
    """
    h = hashlib.sha256(f"initiative-kg extraction v{version}\0".encode())
    _hash_tree(h, extractors_root, "extractors")
    for name in _KG_EXTRACTION_MODULES:
        f = kg_root.joinpath(name)
        h.update(f"kg/{name}\0".encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def document_key(doc: Document, fingerprint: str) -> str:
    """The cache key of ``doc`` under a pipeline ``fingerprint``.

    Args:
        doc: The document; its text and all metadata enter the key, since
            ids, titles, years and pages end up in the records.
        fingerprint: The pipeline fingerprint.

    Returns:
        Hex sha256.
    """
    h = hashlib.sha256(fingerprint.encode())
    metadata = (doc.id, doc.publisher, doc.year, doc.title, doc.source, doc.script, doc.kind, doc.date)
    for value in (*metadata, doc.pages):
        h.update(b"\x01" if value is None else b"\x02" + str(value).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class CacheStats:
    """Counts of one cache's lookups and writes."""

    hits: int = 0
    misses: int = 0
    writes: int = 0


class ExtractionCache:
    """Extraction results of earlier builds, one pickle file per document.

    Args:
        folder: Where entries live (created on first write).
        fingerprint: Pipeline fingerprint; :func:`pipeline_fingerprint` when
            omitted. Entries stored under another fingerprint are never read.
    """

    def __init__(self, folder: str | Path, fingerprint: str | None = None):
        self.folder = Path(folder)
        self.fingerprint = fingerprint if fingerprint is not None else pipeline_fingerprint()
        self.stats = CacheStats()

    def path(self, doc: Document) -> Path:
        """The entry file of ``doc`` (which may not exist)."""
        key = document_key(doc, self.fingerprint)
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, doc: Document) -> DocumentExtraction | None:
        """The stored result for ``doc``, or ``None`` on a miss.

        Args:
            doc: The document.

        Returns:
            The extraction stored for exactly this document and pipeline.
        """
        path = self.path(doc)
        try:
            data = path.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        try:
            result = pickle.loads(data)
        except Exception as exc:  # a damaged entry is a miss, and is rewritten
            log.warning("%s: unreadable cache entry, extracting again (%s)", path, exc)
            self.stats.misses += 1
            return None
        if not isinstance(result, DocumentExtraction) or result.document != doc:
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return result

    def contains(self, doc: Document) -> bool:
        """True when an entry for ``doc`` exists (without reading it)."""
        return self.path(doc).is_file()

    def put(self, doc: Document, result: DocumentExtraction) -> None:
        """Store ``result`` as the extraction of ``doc`` (atomically).

        Args:
            doc: The document.
            result: Its extraction.
        """
        path = self.path(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        self.stats.writes += 1
