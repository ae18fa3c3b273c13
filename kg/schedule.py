"""Scheduling of extraction: documents to the pipeline in this process, worker processes or Dask.

The unit of work is :func:`extract_task`: a whole document, or a chunk of
the prepared segments of a large one. :func:`extract_ordered` ships units to
any executor (a process pool, a Dask client) and hands the results back in
input order, a split document merged back in segment order
(:func:`kg.extract.merge_segments`), so results are identical however the
work was spread. :func:`extract_all` runs them here or in worker processes;
:mod:`kg.distributed` runs them on a Dask cluster through the same
:func:`extract_ordered`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import logging
import math
import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from kg.background import release_signals, signals_held, usable_cores
from kg.extract import DocumentExtraction, extract_document, extract_segments, merge_segments
from kg.model import Document, Segment
from kg.textprep import prepare

#: documents longer than this (characters) are split into chunks of segments
#: when extraction runs in parallel, so one large file does not keep one
#: worker busy while the others wait
SPLIT_CHARS = 60_000
#: target size of one chunk of a split document (characters of prepared text)
CHUNK_CHARS = 30_000

log = logging.getLogger(__name__)
#: objects allocated between two young-generation collections while extracting (Python's default: 700).
#: Extraction makes millions of short-lived strings and lists and few reference cycles; with the
#: default, collections took 10-15% of its time
GC_THRESHOLD = 20_000
_LOCAL = threading.local()
#: ids of the pipelines already frozen out of the collector's sight (:func:`_loaded_nlp`)
_FROZEN: set[int] = set()
#: the parent's pipeline while it forks workers, which inherit it instead of
#: each importing spaCy and loading every lexicon again
_FORKED_NLP = None


def _worker_nlp(places_dir: str | None = None):  # noqa: ANN202 - a spaCy Language, imported lazily
    """The pipeline of this worker (process or thread), built on first use."""
    nlp = getattr(_LOCAL, "nlp", None)
    if nlp is None:
        from kg.pipeline import default_nlp

        nlp = _LOCAL.nlp = _FORKED_NLP if _FORKED_NLP is not None else default_nlp(places_dir)
    return nlp


def _init_worker(places_dir: str | None = None) -> None:
    release_signals()  # forked under signals_held (see _held_submit)
    _worker_nlp(places_dir)
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _loaded_nlp(places_dir: str | None):  # noqa: ANN202 - a spaCy Language, imported lazily
    """The pipeline of this process, its lexicons and models moved out of the garbage collector's sight.

    They live as long as the process; frozen (:func:`gc.freeze`), the
    collector stops walking their millions of objects, and forked workers
    stop touching (and so copying) the pages they share with the parent.
    """
    from kg.pipeline import default_nlp

    nlp = default_nlp(places_dir)
    if id(nlp) not in _FROZEN:  # once per pipeline: what is alive later may die, and must be collectable
        _FROZEN.add(id(nlp))
        gc.freeze()
    return nlp


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Raise the young-generation threshold to :data:`GC_THRESHOLD` for the duration."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def extract_task(doc: Document, segments: tuple[Segment, ...] | None = None, places_dir: str | None = None):
    """The unit of work shipped to a worker process or a Dask worker.

    Args:
        doc: The document.
        segments: ``None`` to extract the whole document, or a run of its
            prepared segments (a chunk of a split document).
        places_dir: Folder of the place gazetteer the pipeline reads (``None``: the bundled one).

    Returns:
        A :class:`DocumentExtraction` for a whole document, else the list of
        :class:`~kg.extract.SegmentExtraction` of the chunk.
    """
    if segments is None:
        return extract_document(_worker_nlp(places_dir), doc)
    return extract_segments(_worker_nlp(places_dir), doc, segments)


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


def _submit_document(doc: Document, submit: Callable[..., Future], split_chars: int, chunk_chars: int,
                     places_dir: str | None) -> _Pending:
    """Send ``doc`` to the executor whole, or as chunks of its segments when it is long."""
    task = extract_task if places_dir is None else functools.partial(extract_task, places_dir=places_dir)
    if len(doc.text) <= split_chars:
        return _Pending(doc, futures=[submit(task, doc, None)])
    segments = prepare(doc)
    futures = [submit(task, doc, c) for c in _chunks(segments, chunk_chars)]
    return _Pending(doc, futures=futures, segments=len(segments))


def extract_ordered(
    documents: Iterable[Document],
    submit: Callable[..., Future],
    *,
    window: int,
    cache=None,
    on_done: Callable[[Document], None] | None = None,
    split_chars: int | None = None,
    chunk_chars: int | None = None,
    places_dir: str | None = None,
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
        places_dir: Folder of the place gazetteer (``None``: the bundled one).

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
            item = _submit_document(doc, submit, split_chars, chunk_chars, places_dir)
            queue.append(item)
            in_flight += len(item.futures)
        # Hand back what is finished at the front; wait only when the window is full.
        while queue and (in_flight >= window or all(f.done() for f in queue[0].futures)):
            item = queue.popleft()
            in_flight -= len(item.futures)
            yield finish(item)
    while queue:
        yield finish(queue.popleft())


def work_units(doc: Document, split_chars: int | None = None, chunk_chars: int | None = None) -> int:
    """About how many tasks ``doc`` makes: 1, or its chunks when it is long enough to be split."""
    split_chars = SPLIT_CHARS if split_chars is None else split_chars
    chunk_chars = CHUNK_CHARS if chunk_chars is None else chunk_chars
    if len(doc.text) <= split_chars:
        return 1
    return max(1, math.ceil(len(doc.text) / chunk_chars))


def auto_workers(
    documents: Iterable[Document], cores: int | None = None, cache=None
) -> tuple[int, Iterator[Document]]:
    """The worker count of ``workers=None``: the usable cores, capped by the work there is.

    Reads ahead only until the documents read make at least one task per
    core (a stream of many documents is never read ahead further).

    Args:
        documents: The documents (streamed).
        cores: Processors to use at most (default :func:`usable_cores`).
        cache: Optional :class:`kg.cache.ExtractionCache`; documents it holds are no work.

    Returns:
        The worker count and the documents again, those read ahead first.
    """
    cores = usable_cores() if cores is None else max(1, cores)
    it = iter(documents)
    ahead: list[Document] = []
    units = 0
    while units < cores:
        doc = next(it, None)
        if doc is None:
            break
        ahead.append(doc)
        if cache is None or not cache.contains(doc):
            units += work_units(doc)
    return max(1, min(cores, units)), itertools.chain(ahead, it)


def _extract_here(
    documents: Iterable[Document], cache, on_done: Callable[[Document], None] | None, places_dir: str | None
) -> Iterator[DocumentExtraction]:
    """Extract in this process, one document after the other."""
    for doc in documents:
        result = cache.get(doc) if cache is not None else None
        if result is None:
            result = extract_document(_loaded_nlp(places_dir), doc)
            if cache is not None:
                cache.put(doc, result)
        if on_done:
            on_done(doc)
        yield result


def extract_all(
    documents: Iterable[Document],
    *,
    workers: int | None = 1,
    cache=None,
    on_done: Callable[[Document], None] | None = None,
    places_dir: str | None = None,
) -> Iterator[DocumentExtraction]:
    """Extract every document, in input order, in this process or in worker processes.

    Args:
        documents: Documents to process (streamed).
        workers: Worker processes; 1 runs in this process; ``None``: one per
            usable core, no more than the tasks there are (:func:`auto_workers`).
        cache: Optional :class:`kg.cache.ExtractionCache`; hits skip extraction.
        on_done: Called after each document (progress).
        places_dir: Folder of the place gazetteer (``None``: the bundled one).

    Yields:
        One :class:`DocumentExtraction` per document, in input order.
    """
    if workers is None:
        workers, documents = auto_workers(documents, cache=cache)
        log.debug("extraction in %d process(es)", workers)
    with _few_collections():
        yield from _extract_in(documents, workers, cache, on_done, places_dir)


def _held_submit(pool: ProcessPoolExecutor) -> Callable[..., Future]:
    """``pool.submit`` with Ctrl-C held: the pool forks its workers inside the first submit, and a
    signal that lands inside fork() would be swallowed (:func:`kg.background.signals_held`)."""

    def submit(*args, **kwargs) -> Future:
        with signals_held():
            return pool.submit(*args, **kwargs)

    return submit


def _extract_in(
    documents: Iterable[Document], workers: int, cache, on_done: Callable[[Document], None] | None,
    places_dir: str | None,
) -> Iterator[DocumentExtraction]:
    if workers <= 1:
        yield from _extract_here(documents, cache, on_done, places_dir)
        return
    global _FORKED_NLP
    if sys.platform.startswith("linux"):
        # Forked workers share the parent's pipeline (copy-on-write): starting
        # one costs milliseconds instead of seconds of imports and lexicons.
        ctx = multiprocessing.get_context("fork")
        _FORKED_NLP = _loaded_nlp(places_dir)
    else:  # fork is unsafe on macOS and absent on Windows
        ctx = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(places_dir,)
        ) as pool:
            window = 2 * workers
            yield from extract_ordered(
                documents, _held_submit(pool), window=window, cache=cache, on_done=on_done,
                places_dir=places_dir,
            )
    finally:
        _FORKED_NLP = None

