"""``kg build``: read -> extract -> resolve -> write.

:func:`build` runs four stages, each a function of its own:

1. :func:`read_stage` streams the documents of the inputs (the bundled
   corpus when there are none), skipping empty ones;
2. :func:`extract_stage` runs extraction (:mod:`kg.schedule`: in this
   process or in worker processes; :mod:`kg.distributed`: on a Dask cluster) and folds each
   document's records into the resolver as it arrives;
3. :func:`resolve_stage` settles the entities and relations of the corpus;
4. :func:`write_stage` assembles the graph and writes ``graph.ttl``,
   ``merges.csv`` (every merge and refused candidate of resolution), the
   HTML view, and the texts extracted from PDF, HTML and Word files
   (:mod:`kg.readers.texts`).

Results are identical however extraction is spread, because documents are
processed independently and merged in input order. Documents are streamed
and measurements wait in a temporary file (:mod:`kg.spool`), so memory
follows the number of distinct entities and relations, not the size of the
corpus. Outputs are written into a staging folder and moved into place only
when all of them are complete, so a failed or interrupted build leaves the
previous output as it was.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import atomic_dir
from kg.background import in_background
from kg.errors import EmptyInputError, OutputError
from kg.extract import DocumentExtraction, EntityRecord, Evidence
from kg.model import Document
from kg.readers.texts import FOLDER as TEXTS
from kg.readers.texts import ExtractedTexts, is_texts_folder
from kg.resolution.audit import MERGES_FILE
from kg.resolve import ResolvedCorpus, Resolver
from kg.schedule import extract_all

log = logging.getLogger(__name__)

#: graph.html charts each entity's figures when the build has at most this many (they are read back
#: from the spool into memory for the view); a bigger build's view has none
HTML_MEASUREMENTS = 200_000


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


def place_parent_lookup(places_dir: str | None = None) -> Callable[[str], str | None]:
    """Parent of a place by canonical name, from the gazetteer.

    Ambiguous names (several 朝阳区) have no parent: the graph would
    otherwise claim a hierarchy the text does not support.

    Args:
        places_dir: Folder of the place gazetteer; ``None`` for the bundled one.
    """
    from extractors.gazetteer import default_gazetteer

    gaz = default_gazetteer(places_dir)

    def parent(name: str) -> str | None:
        senses = {e.key: e for e, _ in gaz.lookup(name) if e.canonical == name}
        if len(senses) != 1:
            return None
        up = gaz.parent(next(iter(senses.values())))
        return up.canonical if up else None

    return parent


def _check_writable(out_dir: Path) -> None:
    """Fail before extraction, not after it, when ``out_dir`` cannot be written."""
    probe = out_dir
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK)):
        raise OutputError(f"cannot write to {out_dir}: {probe} is not a writable folder")


def read_stage(
    inputs: Sequence[str | Path], summary: BuildSummary, *, strict: bool = False,
    warn: Callable[[str], None] | None = None, exclude: Sequence[str | Path] = (),
) -> Iterator[Document]:
    """Stage 1: the documents with text, streamed; counts characters and skipped files in ``summary``.

    Args:
        inputs: Files or folders (.txt, .md, .jsonl, .pdf, .html, .docx); empty
            for the bundled corpus.
        summary: Receives ``characters`` and ``skipped`` (files skipped in
            folders and empty documents; not PDF pages left out, which are
            warned about).
        strict: Make unreadable files inside folders fatal.
        warn: Receives one-line warnings (skipped files, PDF pages left out).
        exclude: Folders not to read inside input folders (the output folder).

    Yields:
        Documents whose text is not blank, in input order.

    Raises:
        InputError: On unreadable input.
    """
    from kg.documents import ReadReport, bundled_corpus, read_inputs

    report = ReadReport()
    source = (
        read_inputs(inputs, strict=strict, warn=warn or log.warning, report=report, exclude=exclude)
        if inputs
        else iter(bundled_corpus())
    )
    for doc in source:
        summary.skipped = report.skipped_count + len(report.empty)
        if doc.text.strip():
            summary.characters += len(doc.text)
            yield doc
    summary.skipped = report.skipped_count + len(report.empty)


def extract_stage(
    documents: Iterable[Document], resolver: Resolver, *, workers: int | None = 1, dask: str | None = None,
    cache_dir: str | Path | None = None, progress: bool = False, places_dir: str | None = None,
    texts: ExtractedTexts | None = None,
) -> list[Document]:
    """Stage 2: extract every document and fold its records into ``resolver`` as it arrives.

    Only document metadata, one accumulator per distinct entity and relation
    and the measurements' spool stay behind; the text of each document is
    dropped once it is extracted.

    Args:
        documents: The documents (streamed).
        resolver: Receives each document's records.
        workers: Extraction worker processes; ``None``: one per usable core, capped by the work.
        dask: A Dask scheduler address or ``"local"``, instead of local processes.
        cache_dir: Folder of the incremental extraction cache, or ``None``.
        progress: Show a progress bar on stderr.
        places_dir: Folder of the place gazetteer; ``None`` for the bundled one.
        texts: Keeps the text of each document read from a PDF, HTML or Word
            file (what its offsets point into) before the text is dropped.

    Returns:
        The documents, in order, without their text.

    Raises:
        EmptyInputError: No document had any text.
    """
    cache = None
    if cache_dir is not None:
        from kg.cache import ExtractionCache, pipeline_fingerprint
        from kg.pipeline import model_identity

        cache = ExtractionCache(cache_dir, pipeline_fingerprint(places_dir, model_identity()))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit="doc", desc="extracting", file=sys.stderr, leave=False)
    on_done = (lambda d: bar.update(1)) if bar else None
    kept: list[Document] = []
    try:
        options = {"cache": cache, "on_done": on_done, "places_dir": places_dir}
        if dask is not None:
            from kg.distributed import dask_extract

            results = dask_extract(documents, dask, **options)
        else:
            results = extract_all(documents, workers=workers, **options)
        for result in results:
            if texts is not None:
                texts.add(result.document)
            kept.append(dataclasses.replace(result.document, text=""))
            resolver.add(result)
            del result
    finally:
        if bar is not None:
            bar.close()
    if not kept:
        raise EmptyInputError("no document with text in the input")
    return kept


def resolve_stage(resolver: Resolver, documents: Sequence[Document], summary: BuildSummary) -> ResolvedCorpus:
    """Stage 3: add the publishers as entities and settle the corpus; counts go to ``summary``.

    Args:
        resolver: Holds every document's records.
        documents: The documents (metadata only).
        summary: Receives document, entity and relation counts.

    Returns:
        The resolved corpus.
    """
    for x in _publisher_records(documents):
        resolver.add(x)
    corpus = resolver.result()
    for line in corpus.report.summary():
        log.info("%s", line)
    summary.documents = len(documents)
    summary.entities = len(corpus.entities)
    summary.relations = len(corpus.relations)
    for label, _ in corpus.entities:
        summary.by_type[label] = summary.by_type.get(label, 0) + 1
    return corpus


def write_stage(
    corpus: ResolvedCorpus, documents: Sequence[Document], out_dir: str | Path, summary: BuildSummary, *,
    html: bool = True, places_dir: str | None = None, texts: ExtractedTexts | None = None,
) -> None:
    """Stage 4: assemble the graph and write ``graph.ttl`` (and ``graph.html``) into ``out_dir`` atomically.

    Args:
        corpus: The resolved corpus (its measurements still in the spool).
        documents: The documents (metadata only).
        out_dir: The output folder, replaced only when every file is complete.
        summary: Receives triple and measurement counts and the files written.
        html: Also write the HTML view.
        places_dir: Folder of the place gazetteer (for the place hierarchy).
        texts: Extracted texts to write as ``texts/`` (a folder of an earlier
            build is removed when there are none).
    """
    from exports.graphfile import GRAPH_FILE
    from kg.assemble import GraphAssembler

    assembler = GraphAssembler(place_parent_lookup(places_dir)).assemble(corpus, documents)
    with atomic_dir(out_dir) as stage:

        def write_view() -> list[str]:
            from exports.html import write_html

            # the view charts each entity's figures; past HTML_MEASUREMENTS they stay in the spool
            graph = assembler.view_index(HTML_MEASUREMENTS)
            result = write_html(graph, stage / "graph.html", title="initiative-kg")
            return ["graph.html", *(p.name for p in result.focused)]

        # the view (layout, HTML) and the Turtle need nothing of each other: with a spare core
        # the view is written by a forked child while this process writes graph.ttl
        view = in_background(write_view) if html else None
        try:
            with open(stage / GRAPH_FILE, "wb") as stream:
                summary.triples = assembler.write(stream)
            summary.measurements = assembler.measurements_written
            summary.outputs.append(GRAPH_FILE)
            (stage / MERGES_FILE).write_text(corpus.report.csv_text(), encoding="utf-8")
            summary.outputs.append(MERGES_FILE)
        except BaseException:
            if view is not None:
                view.cancel()
            raise
        if view is not None:
            summary.outputs += view.result()
        if texts is not None and texts.move_into(stage):
            summary.outputs.append(f"{TEXTS}/")
    if f"{TEXTS}/" not in summary.outputs and is_texts_folder(Path(out_dir) / TEXTS):
        shutil.rmtree(Path(out_dir) / TEXTS)  # the texts of an earlier build's documents
    if html:
        # focused views of an earlier, larger build would otherwise sit beside the new graph
        for stale in Path(out_dir).glob("graph.*.html"):
            if stale.name not in summary.outputs:
                stale.unlink()


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    workers: int | None = 1,
    strict: bool = False,
    html: bool = True,
    cache_dir: str | Path | None = None,
    progress: bool = False,
    warn: Callable[[str], None] | None = None,
    dask: str | None = None,
    places_dir: str | Path | None = None,
) -> BuildSummary:
    """Build the graph of ``inputs`` (the bundled corpus when empty) into ``out_dir``.

    Args:
        inputs: Files or folders (.txt, .md, .jsonl, .pdf, .html, .docx); empty for
            the bundled corpus.
        out_dir: Output folder; receives ``graph.ttl``, ``graph.html`` and, for
            documents read from PDF, HTML or Word files, their extracted texts in
            ``texts/`` (:mod:`kg.readers.texts`).
        workers: Extraction worker processes; ``None`` (what ``kg build`` does by default): one per
            usable core, no more than the tasks there are (:func:`kg.schedule.auto_workers`).
        strict: Make unreadable files inside folders fatal.
        html: Also write the HTML view.
        cache_dir: Folder of the incremental extraction cache, or ``None``.
        progress: Show a progress bar on stderr.
        warn: Receives one-line warnings (skipped files, PDF pages left out).
        dask: Run extraction on a Dask cluster instead of local processes: a
            scheduler address, or ``"local"`` for a local cluster (see
            :mod:`kg.distributed`).
        places_dir: Folder of the place gazetteer read by ``kg_places``,
            ``kg_relations`` and the place hierarchy; ``None`` for the bundled one.

    Returns:
        A :class:`BuildSummary`.

    Raises:
        InputError: On unreadable input (nothing is written).
    """
    from kg.spool import Spool

    _check_writable(Path(out_dir))
    t0 = time.perf_counter()
    summary = BuildSummary()
    places = str(places_dir) if places_dir is not None else None
    documents = read_stage(inputs, summary, strict=strict, warn=warn, exclude=[out_dir])
    # measurements wait on disk until the core of the graph is written; extracted texts until the end
    with Spool() as spool, ExtractedTexts() as texts:
        resolver = Resolver(spool)
        kept = extract_stage(documents, resolver, workers=workers, dask=dask, cache_dir=cache_dir,
                             progress=progress, places_dir=places, texts=texts)
        corpus = resolve_stage(resolver, kept, summary)
        write_stage(corpus, kept, out_dir, summary, html=html, places_dir=places, texts=texts)
    summary.seconds = time.perf_counter() - t0
    return summary
