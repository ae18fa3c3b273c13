"""``kg build``: documents -> extraction -> resolution -> graph -> files.

Extraction runs per document, in this process, in worker processes
(``workers``) or on a Dask cluster (:mod:`kg.distributed`); results are
identical either way because documents are processed independently and
merged in input order, and a large document split into chunks of segments
is merged back in segment order. Documents are streamed: their records are
folded into the resolver as they arrive and measurements wait in a
temporary file (:mod:`kg.spool`), so memory follows the number of distinct
entities and relations, not the size of the corpus. Outputs are written
into a staging folder and moved into place only when all of them are
complete, so a failed or interrupted build leaves the previous output as it
was.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import atomic_dir
from kg.errors import EmptyInputError, OutputError
from kg.extract import (
    DocumentExtraction,
    EntityRecord,
    Evidence,
    extract_document,
    extract_segments,
    merge_segments,
)
from kg.model import Document, Segment
from kg.textprep import prepare

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


#: documents longer than this (characters) are split into chunks of segments
#: when extraction runs in parallel, so one large file does not keep one
#: worker busy while the others wait
SPLIT_CHARS = 60_000
#: target size of one chunk of a split document (characters of prepared text)
CHUNK_CHARS = 30_000


def _worker_nlp():
    """The pipeline of this worker (process or thread), built on first use."""
    nlp = getattr(_LOCAL, "nlp", None)
    if nlp is None:
        from kg.pipeline import build_nlp

        nlp = _LOCAL.nlp = _FORKED_NLP if _FORKED_NLP is not None else build_nlp()
    return nlp


_LOCAL = threading.local()
#: the parent's pipeline while it forks workers, which inherit it instead of
#: each importing spaCy and loading every lexicon again
_FORKED_NLP = None


def _init_worker() -> None:
    _worker_nlp()


def extract_task(doc: Document, segments: tuple[Segment, ...] | None = None):
    """The unit of work shipped to a worker process or a Dask worker.

    Args:
        doc: The document.
        segments: ``None`` to extract the whole document, or a run of its
            prepared segments (a chunk of a split document).

    Returns:
        A :class:`DocumentExtraction` for a whole document, else the list of
        :class:`~kg.extract.SegmentExtraction` of the chunk.
    """
    if segments is None:
        return extract_document(_worker_nlp(), doc)
    return extract_segments(_worker_nlp(), doc, segments)


def _chunks(segments: Sequence[Segment], size: int) -> list[tuple[Segment, ...]]:
    """Consecutive runs of ``segments`` of about ``size`` characters each."""
    out: list[tuple[Segment, ...]] = []
    run: list[Segment] = []
    chars = 0
    for seg in segments:
        if run and chars + len(seg.text) > size:
            out.append(tuple(run))
            run, chars = [], 0
        run.append(seg)
        chars += len(seg.text)
    if run:
        out.append(tuple(run))
    return out


class _Pending:
    """A document in flight: a cached result, or futures to merge in order."""

    __slots__ = ("doc", "result", "futures", "segments")

    def __init__(self, doc: Document, result=None, futures=(), segments: int = 0):
        self.doc = doc
        self.result = result
        self.futures = list(futures)
        self.segments = segments

    def collect(self) -> DocumentExtraction:
        if self.result is None:
            if len(self.futures) == 1 and self.segments == 0:
                self.result = self.futures[0].result()
            else:
                parts = (part for f in self.futures for part in f.result())
                self.result = merge_segments(self.doc, parts, self.segments)
            self.futures = []
        return self.result


def extract_ordered(
    documents: Iterable[Document],
    submit: Callable[..., Future],
    *,
    window: int,
    cache=None,
    on_done: Callable[[Document], None] | None = None,
    split_chars: int | None = None,
    chunk_chars: int | None = None,
) -> Iterator[DocumentExtraction]:
    """Extract documents on an executor, yielding results in input order.

    Documents are read from ``documents`` only as work is submitted, and at
    most ``window`` tasks are in flight, so memory stays bounded whatever the
    corpus size. A document longer than ``split_chars`` is prepared here and
    its segments sent as chunks to different workers; the chunks are merged
    in segment order (:func:`kg.extract.merge_segments`), which gives the
    records of a single pass.

    Args:
        documents: Documents to process (streamed).
        submit: ``submit(fn, *args) -> future`` of a process pool, Dask
            client or similar; futures need ``.result()``.
        window: Tasks in flight at most.
        cache: Optional :class:`kg.cache.ExtractionCache`; hits skip extraction.
        on_done: Called after each document (progress).
        split_chars: Documents longer than this are split (default :data:`SPLIT_CHARS`).
        chunk_chars: Target size of a chunk of a split document (default :data:`CHUNK_CHARS`).

    Yields:
        One :class:`DocumentExtraction` per document, in input order.
    """
    split_chars = SPLIT_CHARS if split_chars is None else split_chars
    chunk_chars = CHUNK_CHARS if chunk_chars is None else chunk_chars
    queue: deque[_Pending] = deque()
    in_flight = 0

    def finish(item: _Pending) -> DocumentExtraction:
        fresh = item.result is None
        result = item.collect()
        if fresh and cache is not None:
            cache.put(item.doc, result)
        if on_done:
            on_done(item.doc)
        return result

    for doc in documents:
        hit = cache.get(doc) if cache is not None else None
        if hit is not None:
            queue.append(_Pending(doc, result=hit))
        else:
            if len(doc.text) > split_chars:
                segments = prepare(doc)
                chunks = _chunks(segments, chunk_chars)
                futures = [submit(extract_task, doc, c) for c in chunks]
                item = _Pending(doc, futures=futures, segments=len(segments))
            else:
                item = _Pending(doc, futures=[submit(extract_task, doc, None)])
            queue.append(item)
            in_flight += len(item.futures)
        # Hand back what is finished at the front; wait only when the window is full.
        while queue and (in_flight >= window or all(f.done() for f in queue[0].futures)):
            item = queue.popleft()
            in_flight -= len(item.futures)
            yield finish(item)
    while queue:
        yield finish(queue.popleft())


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
    if workers <= 1:
        from kg.pipeline import default_nlp

        for doc in documents:
            result = cache.get(doc) if cache is not None else None
            if result is None:
                result = extract_document(default_nlp(), doc)
                if cache is not None:
                    cache.put(doc, result)
            if on_done:
                on_done(doc)
            yield result
        return
    global _FORKED_NLP
    if sys.platform.startswith("linux"):
        # Forked workers share the parent's pipeline (copy-on-write): starting
        # one costs milliseconds instead of seconds of imports and lexicons.
        from kg.pipeline import default_nlp

        ctx = multiprocessing.get_context("fork")
        _FORKED_NLP = default_nlp()
    else:  # fork is unsafe on macOS and absent on Windows
        ctx = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker) as pool:
            window = 2 * workers
            yield from extract_ordered(documents, pool.submit, window=window, cache=cache, on_done=on_done)
    finally:
        _FORKED_NLP = None


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


def build_graph(documents: Sequence[Document], extractions: Iterable[DocumentExtraction], spool=None):
    """Resolve extractions and assemble the graph.

    Args:
        documents: The documents, in order (text not needed).
        extractions: Their extraction results, in the same order (streamed).
        spool: Where measurements wait between the two passes; a list when omitted.

    Returns:
        ``(assembler, resolved corpus)``; the assembler holds the core of the
        graph and writes the whole of it (:meth:`kg.assemble.GraphAssembler.write`).
    """
    from kg.assemble import GraphAssembler
    from kg.resolve import Resolver

    resolver = Resolver(spool)
    for x in [*extractions, *_publisher_records(documents)]:
        resolver.add(x)
    corpus = resolver.result()
    return GraphAssembler(place_parent_lookup()).assemble(corpus, documents), corpus


def _check_writable(out_dir: Path) -> None:
    """Fail before extraction, not after it, when ``out_dir`` cannot be written."""
    probe = out_dir
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK)):
        raise OutputError(f"cannot write to {out_dir}: {probe} is not a writable folder")


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
    dask: str | None = None,
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
        dask: Run extraction on a Dask cluster instead of local processes: a
            scheduler address, or ``"local"`` for a local cluster (see
            :mod:`kg.distributed`).

    Returns:
        A :class:`BuildSummary`.

    Raises:
        InputError: On unreadable input (nothing is written).
    """
    from kg.documents import bundled_corpus, read_inputs

    _check_writable(Path(out_dir))
    t0 = time.perf_counter()
    summary = BuildSummary()
    skipped: list[str] = []

    def _warn(msg: str) -> None:
        skipped.append(msg)
        (warn or log.warning)(msg)

    source = read_inputs(inputs, strict=strict, warn=_warn) if inputs else iter(bundled_corpus())

    cache = None
    if cache_dir is not None:
        from kg.cache import ExtractionCache

        cache = ExtractionCache(cache_dir)

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit="doc", desc="extracting", file=sys.stderr, leave=False)

    def with_text(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.text.strip():
                summary.characters += len(doc.text)
                yield doc

    on_done = (lambda d: bar.update(1)) if bar else None
    # Documents are streamed through extraction and their records folded into
    # the resolver as they come; only document metadata, one accumulator per
    # distinct entity and relation, and the core of the graph stay in memory.
    # Measurements wait on disk until the core is written.
    from kg.resolve import Resolver
    from kg.spool import Spool

    documents: list[Document] = []
    with Spool() as spool:
        resolver = Resolver(spool)
        try:
            if dask is not None:
                from kg.distributed import dask_extract

                results = dask_extract(with_text(source), dask, cache=cache, on_done=on_done)
            else:
                results = extract_all(with_text(source), workers=workers, cache=cache, on_done=on_done)
            for result in results:
                documents.append(dataclasses.replace(result.document, text=""))
                resolver.add(result)
                del result
        finally:
            if bar is not None:
                bar.close()
        if not documents:
            raise EmptyInputError("no document with text in the input")
        summary.documents = len(documents)
        summary.skipped = len(skipped)
        for x in _publisher_records(documents):
            resolver.add(x)
        corpus = resolver.result()
        from kg.assemble import GraphAssembler

        assembler = GraphAssembler(place_parent_lookup()).assemble(corpus, documents)
        summary.entities = len(corpus.entities)
        summary.relations = len(corpus.relations)
        for label, _ in corpus.entities:
            summary.by_type[label] = summary.by_type.get(label, 0) + 1

        with atomic_dir(out_dir) as stage:
            with open(stage / "graph.ttl", "wb") as stream:
                summary.triples = assembler.write(stream)
            summary.measurements = assembler.measurements_written
            summary.outputs.append("graph.ttl")
            if html:
                from exports.html import write_html

                result = write_html(assembler.graph(), stage / "graph.html", title="initiative-kg")
                summary.outputs.append("graph.html")
                summary.outputs += [p.name for p in result.focused]
    if html:
        # focused views of an earlier, larger build would otherwise sit beside the new graph
        for stale in Path(out_dir).glob("graph.*.html"):
            if stale.name not in summary.outputs:
                stale.unlink()
    summary.seconds = time.perf_counter() - t0
    return summary
