"""``kg train``: fit the learned components on gold passages and write a model folder.

The rule components run over every gold passage as they do in a build and
propose their candidates; the gold names, found in the prepared text
(:func:`kg.gold.project`), say which candidates a reader keeps. The model
folder holds data only (CRFsuite's binary weights, JSON), never pickles, and
the same gold files give the same bytes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.gold import GoldPassage, project
from kg.model import ENTITY_TYPES, Segment

#: inverse L2 strength of the relation models
RELATION_C = 0.5
#: inverse L2 strength and threshold of the measurement subject model
MEASUREMENT_C = 1.0
MEASUREMENT_THRESHOLD = 0.3

#: pipes that propose candidates: everything the pipeline runs before ``kg_entities``
DECIDER = "kg_entities"


@dataclass
class Example:
    """One prepared segment of a gold passage, with the candidates the rules proposed."""

    passage: GoldPassage
    segment: Segment
    doc: object  # spacy Doc after the candidate pipes
    gold_spans: list[tuple[int, int, str]] = field(default_factory=list)
    candidates: list = field(default_factory=list)  # the rule candidates, kept to reset ``doc``

    def reset(self):
        """``doc`` as the candidate pipes left it (later pipes change its records)."""
        self.doc._.kg_mentions = copy.deepcopy(self.candidates)
        self.doc._.kg_relations = []
        self.doc._.kg_measurements = []
        return self.doc


def _balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quote that opens or closes a name whose other quote is inside it."""
    from extractors.names import CLOSE_QUOTES, OPEN_QUOTES

    inner = text[start:end]
    opens = sum(inner.count(q) for q in OPEN_QUOTES)
    closes = sum(inner.count(q) for q in CLOSE_QUOTES)
    if closes > opens and start > 0 and text[start - 1] in OPEN_QUOTES:
        start -= 1
    elif opens > closes and end < len(text) and text[end] in CLOSE_QUOTES:
        end += 1
    return start, end


def gold_spans(passage: GoldPassage, segment: Segment) -> list[tuple[int, int, str]]:
    """Training spans of a segment: gold names found in it, with their quotes balanced."""
    out = []
    for g in project(passage, segment):
        s, e = _balance_quotes(segment.text, g.start, g.end)
        out.append((s, e, g.type))
    return out


def candidate_examples(
    passages: Sequence[GoldPassage], nlp=None, progress: Callable[[Iterable], Iterable] | None = None
) -> list[Example]:
    """Run the candidate pipes over every segment of the passages.

    Args:
        passages: Gold passages.
        nlp: A pipeline from :func:`kg.pipeline.build_nlp` (rules only by default).
        progress: Optional wrapper of the passage iterator (a progress bar).

    Returns:
        One example per segment, in passage order.
    """
    from extractors import init_doc
    from kg.pipeline import build_nlp
    from kg.textprep import prepare

    if nlp is None:
        nlp = build_nlp(model_dir=None)
    procs = []
    for name, proc in nlp.pipeline:
        if name == DECIDER:
            break
        procs.append(proc)
    out = []
    for passage in progress(passages) if progress else passages:
        doc = passage.document
        for seg in prepare(doc):
            sdoc = nlp.make_doc(seg.text)
            init_doc(
                sdoc,
                {
                    "publisher": doc.publisher,
                    "year": seg.year or doc.year,
                    "doc_id": doc.id,
                    "title": seg.title,
                    "sentences": list(seg.sentences),
                },
            )
            for proc in procs:
                sdoc = proc(sdoc)
            out.append(
                Example(passage, seg, sdoc, gold_spans(passage, seg), copy.deepcopy(sdoc._.kg_mentions))
            )
    return out


def train_entities(examples: Sequence[Example], path: Path, params: dict | None = None) -> Path:
    """Fit the entity tagger on the examples and write it to ``path``.

    Args:
        examples: From :func:`candidate_examples`.
        path: The model file to write.
        params: CRFsuite parameters over :data:`extractors.entities.tagger.DEFAULT_PARAMS`.

    Returns:
        ``path``.
    """
    from extractors.entities.decision import EntityDecider
    from extractors.entities.tagger import CharTagger, bio_tags

    decider = EntityDecider(None)
    sequences = (
        (decider.features(ex.reset()), bio_tags(len(ex.segment.text), ex.gold_spans)) for ex in examples
    )
    return CharTagger.train(sequences, path, params)


class GoldIndex:
    """Gold entities of one passage by folded name, and its relations by entity index."""

    def __init__(self, passage: GoldPassage) -> None:
        from kg.gold import fold_name

        self.passage = passage
        self.by_name: dict[str, list[int]] = {}
        for i, e in enumerate(passage.entities):
            for n in e.names:
                self.by_name.setdefault(n, []).append(i)
        self.firm: set[tuple[int, str, int]] = set()
        self.optional: set[tuple[int, str, int]] = set()
        for h, rel, t, opt in passage.relations:
            for hi in self.by_name.get(fold_name(h), ()):
                for ti in self.by_name.get(fold_name(t), ()):
                    optional = opt or passage.entities[hi].optional or passage.entities[ti].optional
                    (self.optional if optional else self.firm).add((hi, rel, ti))

    def entities_of(self, m) -> set[int]:
        """Gold entities of the mention's type that one of its names names."""
        from kg.gold import fold_name

        names = {fold_name(m.canonical), *(fold_name(a) for a in m.aliases)}
        if m.surface and not m.implicit:
            names.add(fold_name(m.surface))
        ents = self.passage.entities
        return {i for n in names for i in self.by_name.get(n, ()) if ents[i].type == m.label}

    def relation_label(self, head, rel: str, tail) -> int | None:
        """1 if gold states ``rel`` between the two, 0 if not, ``None`` where gold leaves it open."""
        hs, ts = self.entities_of(head), self.entities_of(tail)
        pairs = [(a, rel, b) for a in hs for b in ts]
        if any(p in self.firm for p in pairs):
            return 1
        if any(p in self.optional for p in pairs):
            return None
        ents = self.passage.entities
        if (hs and all(ents[a].optional for a in hs)) or (ts and all(ents[b].optional for b in ts)):
            return None
        return 0


#: folds of the jackknife that gives the span models out-of-sample tagger output
JACKKNIFE_FOLDS = 4
#: inverse L2 strength of the span models
SPAN_C = 0.5
#: probability above which a span is kept (below 0.5: recall is the scarcer of the two)
SPAN_THRESHOLD = 0.4


@dataclass
class SpanSample:
    """The candidate spans of one example as a tagger that never saw it reads them."""

    example: Example
    candidates: list  # SpanCandidate
    features: list[list[str]]


def _jackknife_groups(examples: Sequence[Example], k: int) -> list[list[int]]:
    """Example indices in ``k`` groups, all segments of a passage in one group."""
    import random

    order = list(dict.fromkeys(id(ex.passage) for ex in examples))
    random.Random(7).shuffle(order)
    group_of = {pid: n % k for n, pid in enumerate(order)}
    groups: list[list[int]] = [[] for _ in range(k)]
    for i, ex in enumerate(examples):
        groups[group_of[id(ex.passage)]].append(i)
    return groups


def span_samples(
    examples: Sequence[Example],
    work: Path,
    k: int = JACKKNIFE_FOLDS,
    params: dict | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    reuse: bool = False,
) -> list[SpanSample]:
    """Candidate spans and their features, the tagger's votes read out of sample.

    The examples are split into ``k`` groups by passage; a tagger trained on
    the other groups reads each group, so that the span models learn how far
    to trust the tagger on text it has not seen (as in a build).

    Args:
        examples: Candidate examples.
        work: Folder for the temporary taggers.
        k: Number of groups.
        params: CRFsuite parameters.
        progress: Optional wrapper of the group iterator.
        reuse: Read taggers left in ``work`` by an earlier run on the same
            examples instead of training them (experiments).

    Returns:
        One sample per example, in order.
    """
    from extractors.entities.candidates import span_candidates, span_features
    from extractors.entities.decision import EntityDecider
    from extractors.entities.tagger import CharTagger
    from extractors.names import Tokens

    groups = _jackknife_groups(examples, k)
    out: list[SpanSample | None] = [None] * len(examples)
    decider = EntityDecider(None)
    for g, held in enumerate(progress(groups) if progress else groups):
        held_set = set(held)
        path = work / f"jackknife-{g}.crfsuite"
        if not (reuse and path.is_file()):
            train_entities([ex for i, ex in enumerate(examples) if i not in held_set], path, params)
        decider.tagger = CharTagger(path)
        for i in held:
            ex = examples[i]
            doc = ex.reset()
            crf_spans, marginals = decider.tag(doc)
            ctx = decider.span_context(doc, crf_spans, marginals)
            tokens = Tokens.of_doc(doc)
            cands = span_candidates(
                ctx.text, list(zip(tokens.starts, tokens.ends, strict=True)), doc._.kg_mentions, crf_spans
            )
            out[i] = SpanSample(ex, cands, [span_features(ctx, c) for c in cands])
    return [s for s in out if s is not None]


def span_label(gold: GoldIndex, text: str, c) -> dict[str, int | None]:
    """Per entity type: 1 if a gold entity of that type bears one of the span's names, 0 if none does,
    ``None`` if only an optional one does."""
    from extractors.names import base_name
    from kg.gold import fold_name

    body = text[c.start : c.end]
    names = {fold_name(body), fold_name(base_name(body)[0])}
    for m in c.rules:
        names.add(fold_name(m.canonical))
    names.discard("")
    ents = gold.passage.entities
    hits = {i for n in names for i in gold.by_name.get(n, ())}
    out: dict[str, int | None] = {}
    for t in ENTITY_TYPES:
        of_type = [i for i in hits if ents[i].type == t]
        if any(not ents[i].optional for i in of_type):
            out[t] = 1
        elif of_type:
            out[t] = None
        else:
            out[t] = 0
    return out


def train_span_models(samples: Sequence[SpanSample]) -> dict:
    """One linear model per entity type over the candidate spans of the samples."""
    from extractors.linear import LinearModel

    xs: dict[str, list[list[str]]] = {t: [] for t in ENTITY_TYPES}
    ys: dict[str, list[int]] = {t: [] for t in ENTITY_TYPES}
    for sample in samples:
        gold = GoldIndex(sample.example.passage)
        text = sample.example.segment.text
        for c, feats in zip(sample.candidates, sample.features, strict=True):
            for t, y in span_label(gold, text, c).items():
                if y is not None:
                    xs[t].append(feats)
                    ys[t].append(y)
    models = {t: LinearModel.fit(xs[t], ys[t], c=SPAN_C) for t in ENTITY_TYPES}
    for m in models.values():
        m.threshold = SPAN_THRESHOLD
    return models


def selected_mentions(samples: Sequence[SpanSample], models: dict) -> list[list]:
    """The mentions the span models keep in each sample (its tagger votes out of sample)."""
    from extractors.entities.decision import EntityDecider, ScoredSpan

    decider = EntityDecider(None)
    decider.span_models = models
    out = []
    for sample in samples:
        scored = [
            ScoredSpan(c, f, {t: m.score(f) for t, m in models.items()})
            for c, f in zip(sample.candidates, sample.features, strict=True)
        ]
        out.append(decider.select(sample.example.segment.text, scored, sample.example.candidates))
    return out


def relation_docs(
    examples: Sequence[Example], entity_mentions: Sequence[list]
) -> Iterable[tuple[Example, object]]:
    """Each example's doc with the given mentions, after the publisher and relation rules.

    Args:
        examples: Candidate examples (each is reset first).
        entity_mentions: The mentions of each example, as the entity decider left them.

    Yields:
        ``(example, doc)`` pairs.
    """
    from kg.pipeline import build_nlp

    nlp = build_nlp(model_dir=None)
    names = [n for n, _ in nlp.pipeline]
    procs = [nlp.get_pipe(n) for n in names[names.index(DECIDER) + 1 : names.index("kg_relations") + 1]]
    for ex, ms in zip(examples, entity_mentions, strict=True):
        doc = ex.reset()
        doc._.kg_mentions = copy.deepcopy(ms)
        for proc in procs:
            doc = proc(doc)
        yield ex, doc


def train_relations(docs: Iterable[tuple[Example, object]], path: Path) -> dict[str, int]:
    """Fit one linear model per relation type on the candidate pairs of the docs.

    A pair is positive when gold states the relation between the entities
    its mentions name.

    Args:
        docs: ``(example, doc)`` pairs from :func:`relation_docs`.
        path: The JSON file to write.

    Returns:
        Number of positive candidates per relation.
    """
    from extractors.linear import LinearModel, save_models
    from extractors.relations.candidates import SIGNATURES
    from extractors.relations.decision import doc_pairs
    from extractors.relations.features import pair_features

    samples: dict[str, list[list[str]]] = {r: [] for r in SIGNATURES}
    labels: dict[str, list[int]] = {r: [] for r in SIGNATURES}
    for ex, doc in docs:
        gold = GoldIndex(ex.passage)
        ctx, cands = doc_pairs(doc)
        for c in cands:
            feats = None
            for rel in c.relations:
                y = gold.relation_label(c.head, rel, c.tail)
                if y is None:
                    continue
                if feats is None:
                    feats = pair_features(ctx, c)
                samples[rel].append(feats)
                labels[rel].append(y)
    models = {rel: LinearModel.fit(samples[rel], labels[rel], c=RELATION_C) for rel in SIGNATURES}
    save_models(
        path,
        models,
        {
            "positives": {r: sum(labels[r]) for r in SIGNATURES},
            "candidates": {r: len(labels[r]) for r in SIGNATURES},
        },
    )
    return {r: sum(labels[r]) for r in SIGNATURES}


def measurement_label(gold: GoldIndex, subject, value: str) -> int | None:
    """1 if gold ties ``value`` to the entity ``subject`` names, 0 if not, ``None`` if gold leaves it open."""
    from kg.gold import fold_name

    ents = gold.passage.entities
    hs = gold.entities_of(subject)
    v = float(value)
    open_ = False
    for m in gold.passage.measurements:
        try:
            gv = float(m["value"])
        except (TypeError, ValueError):
            continue
        if abs(v - gv) > max(1e-9, 0.005 * abs(gv)):
            continue
        targets = set(gold.by_name.get(fold_name(str(m["subject"])), ()))
        if not targets & hs:
            continue
        if m.get("optional") or all(ents[i].optional for i in targets & hs):
            open_ = True
            continue
        return 1
    if open_ or (hs and all(ents[i].optional for i in hs)):
        return None
    return 0


def train_measurements(docs: Iterable[tuple[Example, object]], path: Path) -> int:
    """Fit the subject model on every (figure, possible subject) pair of the docs.

    Args:
        docs: ``(example, doc)`` pairs whose docs hold the decided mentions.
        path: The JSON file to write.

    Returns:
        Number of positive pairs.
    """
    from extractors.linear import LinearModel, save_models
    from extractors.measurements.decision import SUBJECT_MODEL, MeasurementDecider
    from extractors.measurements.features import figure_features

    decider = MeasurementDecider(None)
    xs, ys = [], []
    for ex, doc in docs:
        gold = GoldIndex(ex.passage)
        ctx, cands, words = decider.candidates(doc)
        for c in cands:
            for subject in c.subjects:
                y = measurement_label(gold, subject, c.value)
                if y is not None:
                    xs.append(figure_features(ctx, c, subject, words))
                    ys.append(y)
    model = LinearModel.fit(xs, ys, c=MEASUREMENT_C)
    model.threshold = MEASUREMENT_THRESHOLD
    save_models(path, {SUBJECT_MODEL: model}, {"positives": sum(ys), "candidates": len(ys)})
    return sum(ys)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_meta(out_dir: Path, meta: dict) -> None:
    """Write ``meta.json`` with sorted keys (the same model gives the same bytes)."""
    from kg.pipeline import MODEL_FORMAT, MODEL_META

    data = {"format": MODEL_FORMAT, **meta}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (out_dir / MODEL_META).write_text(text, encoding="utf-8")


@dataclass
class TrainReport:
    """What :func:`fit` trained and wrote."""

    out_dir: Path
    passages: int
    segments: int
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256


def fit(
    passages: Sequence[GoldPassage],
    out_dir: str | Path,
    examples: Sequence[Example] | None = None,
    sources: Sequence[str] = (),
    progress: Callable[[Iterable], Iterable] | None = None,
    entity_model: Path | None = None,
    work: Path | None = None,
) -> TrainReport:
    """Train every learned component on ``passages`` and write the model folder.

    Args:
        passages: Gold passages to learn from.
        out_dir: The model folder (created; files in it are replaced).
        examples: Candidate examples of exactly these passages, if already
            computed (cross-validation computes them once).
        sources: Names of the gold files, recorded in ``meta.json``.
        progress: Optional wrapper of iterators (a progress bar).
        entity_model: An entity tagger already trained on exactly these
            passages, copied instead of trained again (experiments).
        work: Keep the jackknife taggers here and reuse those found there
            (experiments); by default they live in a temporary folder.

    Returns:
        A :class:`TrainReport`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if examples is None:
        examples = candidate_examples(passages, progress=progress)
    from extractors.entities.decision import ENTITY_MODEL_FILE, SPAN_MODEL_FILE
    from extractors.linear import save_models
    from extractors.measurements.decision import MEASUREMENT_MODEL_FILE
    from extractors.relations.decision import RELATION_MODEL_FILE

    if entity_model is not None:
        import shutil

        shutil.copyfile(entity_model, out / ENTITY_MODEL_FILE)
    else:
        train_entities(examples, out / ENTITY_MODEL_FILE)
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="kg-train-")) if work is None else Path(work)
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        samples = span_samples(examples, scratch, progress=progress, reuse=work is not None)
    finally:
        if work is None:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
    span_models = train_span_models(samples)
    save_models(out / SPAN_MODEL_FILE, span_models)
    mentions = selected_mentions(samples, span_models)
    docs = list(relation_docs(examples, mentions))
    train_relations(docs, out / RELATION_MODEL_FILE)
    train_measurements(docs, out / MEASUREMENT_MODEL_FILE)
    names = (ENTITY_MODEL_FILE, SPAN_MODEL_FILE, RELATION_MODEL_FILE, MEASUREMENT_MODEL_FILE)
    files = {name: file_digest(out / name) for name in names}
    write_meta(
        out,
        {
            "passages": len(passages),
            "segments": len(examples),
            "trained_on": list(sources),
            "files": files,
        },
    )
    return TrainReport(out, len(passages), len(examples), files)


def _passage_record(p: GoldPassage) -> dict:
    d = p.document
    return {"id": d.id, "text": d.text, "publisher": d.publisher, "year": d.year, "source": d.source}


def build_and_score(passages: Sequence[GoldPassage], model_dir: Path | None, work: Path):
    """Build the passages with a model (in this process) and score the graph against them.

    Args:
        passages: Gold passages (their texts are built).
        model_dir: The model folder; ``None`` for the rules alone.
        work: A scratch folder.

    Returns:
        The :class:`kg.evaluate.Scores`.
    """
    import os

    from exports.graphfile import load_graph
    from kg.build import build
    from kg.evaluate import score_graph
    from kg.pipeline import MODEL_ENV, use_model

    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "passages.jsonl"
    corpus.write_text(
        "".join(json.dumps(_passage_record(p), ensure_ascii=False) + "\n" for p in passages), encoding="utf-8"
    )
    before = os.environ.get(MODEL_ENV)
    use_model(model_dir if model_dir is not None else "none")
    try:
        build([corpus], work / "out", html=False)
    finally:
        if before is None:
            os.environ.pop(MODEL_ENV, None)
        else:
            os.environ[MODEL_ENV] = before
        from kg.pipeline import default_nlp

        default_nlp.cache_clear()
    return score_graph(load_graph(work / "out"), passages)


def cross_validate(
    passages: Sequence[GoldPassage],
    folds: int,
    work: Path,
    seed: int = 13,
    always: Sequence[GoldPassage] = (),
    examples: Sequence[Example] | None = None,
    report: Callable[[int, object], None] | None = None,
) -> list:
    """K-fold cross-validation by passage: fit on the other folds (and ``always``), score the held-out one.

    Args:
        passages: Passages split into folds.
        folds: Number of folds (at least 2).
        work: Scratch folder (fold models and builds).
        seed: Seed of the split.
        always: Passages in every training set, never scored (e.g. those the rules were written on).
        examples: Candidate examples of ``[*always, *passages]``, if already computed.
        report: Called with ``(fold, scores)`` after each fold.

    Returns:
        The :class:`kg.evaluate.Scores` of each fold.
    """
    from kg.gold import split_folds

    everything = [*always, *passages]
    if examples is None:
        examples = candidate_examples(everything)
    by_passage: dict[int, list[Example]] = {}
    index = {id(p): i for i, p in enumerate(everything)}
    for ex in examples:
        by_passage.setdefault(index[id(ex.passage)], []).append(ex)
    out = []
    for k, fold in enumerate(split_folds(passages, folds, seed)):
        held = {len(always) + i for i in fold}
        keep = [i for i in range(len(everything)) if i not in held]
        fdir = work / f"fold{k}"
        fit(
            [everything[i] for i in keep],
            fdir / "model",
            examples=[ex for i in keep for ex in by_passage.get(i, [])],
        )
        scores = build_and_score([passages[i] for i in fold], fdir / "model", fdir)
        out.append(scores)
        if report is not None:
            report(k, scores)
    return out
