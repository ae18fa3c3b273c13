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
from kg.model import Segment

#: inverse L2 strength of the relation models
RELATION_C = 0.5

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
            out.append(Example(passage, seg, sdoc, gold_spans(passage, seg), copy.deepcopy(sdoc._.kg_mentions)))
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
        (decider.features(ex.doc), bio_tags(len(ex.segment.text), ex.gold_spans)) for ex in examples
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


def decided(examples: Sequence[Example], model_dir: Path, upto: str) -> Iterable[tuple[Example, object]]:
    """Run the pipeline with the model of ``model_dir`` from the decider up to (and with) ``upto``.

    Args:
        examples: Candidate examples; each is reset first.
        model_dir: A folder holding the models trained so far.
        upto: Name of the last pipe to run.

    Yields:
        ``(example, doc)`` pairs.
    """
    from kg.pipeline import build_nlp

    nlp = build_nlp(model_dir=None)
    names = [n for n, _ in nlp.pipeline]
    procs = []
    for name in names[names.index(DECIDER) : names.index(upto) + 1]:
        if name == DECIDER:
            from extractors.entities.decision import EntityDecider

            procs.append(EntityDecider(model_dir))
        else:
            procs.append(nlp.get_pipe(name))
    for ex in examples:
        doc = ex.reset()
        for proc in procs:
            doc = proc(doc)
        yield ex, doc


def train_relations(examples: Sequence[Example], model_dir: Path, path: Path) -> dict[str, int]:
    """Fit one linear model per relation type on the candidate pairs of the examples.

    The pairs come from the mentions the trained entity tagger (in
    ``model_dir``) and the rules give, as in a build; a pair is positive
    when gold states the relation between the entities its mentions name.

    Args:
        examples: Candidate examples.
        model_dir: Folder with the entity model already trained.
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
    for ex, doc in decided(examples, model_dir, "kg_relations"):
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
    save_models(path, models, {"positives": {r: sum(labels[r]) for r in SIGNATURES},
                               "candidates": {r: len(labels[r]) for r in SIGNATURES}})
    return {r: sum(labels[r]) for r in SIGNATURES}


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

    Returns:
        A :class:`TrainReport`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if examples is None:
        examples = candidate_examples(passages, progress=progress)
    from extractors.entities.decision import ENTITY_MODEL_FILE

    from extractors.relations.decision import RELATION_MODEL_FILE

    if entity_model is not None:
        import shutil

        shutil.copyfile(entity_model, out / ENTITY_MODEL_FILE)
    else:
        train_entities(examples, out / ENTITY_MODEL_FILE)
    train_relations(examples, out, out / RELATION_MODEL_FILE)
    files = {name: file_digest(out / name) for name in (ENTITY_MODEL_FILE, RELATION_MODEL_FILE)}
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
