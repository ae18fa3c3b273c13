"""``kg build``: documents -> extraction -> resolution -> graph -> files.

Extraction runs per document, in this process or in worker processes
(``workers``); results are identical either way because documents are
processed independently and merged in input order. Outputs are written
into a staging folder and moved into place only when all of them are
complete, so a failed or interrupted build leaves the previous output as it
was.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import atomic_dir
from kg.errors import EmptyInputError
from kg.extract import DocumentExtraction, EntityRecord, Evidence, extract_document
from kg.model import Document

log = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    """What a build read and wrote."""

    documents: int = 0
    skipped: int = 0
    characters: int = 0
    entities: int = 0
    relations: int = 0
    measurements: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """One-line human summary."""
        types = ", ".join(f"{k} {v}" for k, v in sorted(self.by_type.items()))
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        return (
            f"{self.documents} documents{skipped}, {self.characters:,} characters -> "
            f"{self.entities} entities ({types}), {self.relations} relations, "
            f"{self.measurements} measurements, {self.triples} triples in {self.seconds:.1f}s"
        )


_WORKER_NLP = None


def _init_worker() -> None:
    global _WORKER_NLP
    from kg.pipeline import build_nlp

    _WORKER_NLP = build_nlp()


def _extract_in_worker(doc: Document) -> DocumentExtraction:
    return extract_document(_WORKER_NLP, doc)


def extract_all(
    documents: Iterable[Document],
    *,
    workers: int = 1,
    cache=None,
    on_done: Callable[[Document], None] | None = None,
) -> Iterator[DocumentExtraction]:
    """Extract every document, in input order.

    Args:
        documents: Documents to process (streamed).
        workers: Worker processes; 1 runs in this process.
        cache: Optional :class:`kg.cache.ExtractionCache`; hits skip extraction.
        on_done: Called after each document (progress).

    Yields:
        One :class:`DocumentExtraction` per document, in input order.
    """
    from kg.pipeline import default_nlp

    def cached_or(doc: Document, compute: Callable[[Document], DocumentExtraction]) -> DocumentExtraction:
        if cache is not None:
            hit = cache.get(doc)
            if hit is not None:
                return hit
        result = compute(doc)
        if cache is not None:
            cache.put(doc, result)
        return result

    if workers <= 1:
        nlp = None
        for doc in documents:
            if nlp is None and (cache is None or cache.get(doc) is None):
                nlp = default_nlp()
            result = cached_or(doc, lambda d: extract_document(nlp or default_nlp(), d))
            if on_done:
                on_done(doc)
            yield result
        return
    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "forkserver")
    pending = []
    docs = list(documents)
    todo = [d for d in docs if cache is None or cache.get(d) is None]
    results: dict[str, DocumentExtraction] = {}
    if todo:
        with ctx.Pool(workers, initializer=_init_worker) as pool:
            for doc, res in zip(todo, pool.imap(_extract_in_worker, todo, chunksize=1), strict=True):
                results[doc.id + "\0" + (doc.source or "")] = res
                if cache is not None:
                    cache.put(doc, res)
                if on_done:
                    on_done(doc)
    del pending
    for doc in docs:
        k = doc.id + "\0" + (doc.source or "")
        if k in results:
            yield results[k]
        else:
            if on_done:
                on_done(doc)
            yield cache.get(doc)


def _publisher_records(documents: Sequence[Document]) -> list[DocumentExtraction]:
    """Make sure every publisher is an entity, even if its text never names it."""
    from extractors.lexicon import publisher_group

    out = []
    for doc in documents:
        if not doc.publisher:
            continue
        group = publisher_group(doc.publisher)
        canonical = group.canonical if group else doc.publisher
        ev = Evidence(doc.id, 0, 0, 0, 0, "", "")
        rec = EntityRecord("ORG", canonical, canonical, "", group.aliases if group else (), {}, True, ev)
        out.append(DocumentExtraction(document=doc, entities=[rec]))
    return out


def place_parent_lookup() -> Callable[[str], str | None]:
    """Parent of a place by canonical name, from the gazetteer.

    Ambiguous names (several 朝阳区) have no parent: the graph would
    otherwise claim a hierarchy the text does not support.
    """
    from extractors.gazetteer import default_gazetteer

    gaz = default_gazetteer()

    def parent(name: str) -> str | None:
        senses = {e.key: e for e, _ in gaz.lookup(name) if e.canonical == name}
        if len(senses) != 1:
            return None
        up = gaz.parent(next(iter(senses.values())))
        return up.canonical if up else None

    return parent


def build_graph(documents: Sequence[Document], extractions: Sequence[DocumentExtraction]):
    """Resolve extractions and assemble the graph.

    Args:
        documents: The documents, in order.
        extractions: Their extraction results, in the same order.

    Returns:
        ``(graph, resolved corpus)``.
    """
    from kg.assemble import assemble_graph
    from kg.resolve import resolve

    corpus = resolve([*extractions, *_publisher_records(documents)])
    graph = assemble_graph(corpus, documents, place_parent_lookup())
    return graph, corpus


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    workers: int = 1,
    strict: bool = False,
    html: bool = True,
    cache_dir: str | Path | None = None,
    progress: bool = False,
    warn: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build the graph of ``inputs`` (the bundled corpus when empty) into ``out_dir``.

    Args:
        inputs: Files or folders (.txt, .md, .jsonl); empty for the bundled corpus.
        out_dir: Output folder; receives ``graph.ttl`` and ``graph.html``.
        workers: Extraction worker processes.
        strict: Make unreadable files inside folders fatal.
        html: Also write the HTML view.
        cache_dir: Folder of the incremental extraction cache, or ``None``.
        progress: Show a progress bar on stderr.
        warn: Receives one-line warnings (skipped files).

    Returns:
        A :class:`BuildSummary`.

    Raises:
        InputError: On unreadable input (nothing is written).
    """
    from kg.documents import bundled_corpus, read_inputs

    t0 = time.perf_counter()
    summary = BuildSummary()
    skipped: list[str] = []

    def _warn(msg: str) -> None:
        skipped.append(msg)
        (warn or log.warning)(msg)

    documents = list(read_inputs(inputs, strict=strict, warn=_warn)) if inputs else bundled_corpus()
    documents = [d for d in documents if d.text.strip()]
    if not documents:
        raise EmptyInputError("no document with text in the input")
    summary.documents = len(documents)
    summary.skipped = len(skipped)
    summary.characters = sum(len(d.text) for d in documents)

    cache = None
    if cache_dir is not None:
        from kg.cache import ExtractionCache

        cache = ExtractionCache(cache_dir)

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(documents), unit="doc", desc="extracting", file=sys.stderr, leave=False)
    try:
        extractions = list(
            extract_all(documents, workers=workers, cache=cache, on_done=(lambda d: bar.update(1)) if bar else None)
        )
    finally:
        if bar is not None:
            bar.close()
    graph, corpus = build_graph(documents, extractions)

    summary.entities = len(corpus.entities)
    summary.relations = len(corpus.relations)
    summary.measurements = len(corpus.measurements)
    summary.triples = len(graph)
    for label, _ in corpus.entities:
        summary.by_type[label] = summary.by_type.get(label, 0) + 1
    for name, other, why in corpus.refused_merges:
        log.info("refused merge: %s ~ %s (%s)", name, other, why)

    with atomic_dir(out_dir) as stage:
        ttl = stage / "graph.ttl"
        graph.serialize(destination=str(ttl), format="turtle")
        summary.outputs.append("graph.ttl")
        if html:
            from exports.html import write_html

            write_html(graph, stage / "graph.html", title="initiative-kg")
            summary.outputs.append("graph.html")
    summary.seconds = time.perf_counter() - t0
    return summary
