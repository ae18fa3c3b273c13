"""``kg build --explain NAME``: why a name is in the graph, or why not.

For every place a document writes NAME (in either script), the pipeline is
run step by step on that segment and the steps that touch the name are
printed: the rule candidates over it (label, canonical name, rule), what
the character tagger read there, every candidate span over it with the
span model's probability per type and the features that weighed most, the
decision, and the relations and figures the models scored for the mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from kg.model import Document

#: characters of context printed on each side of a hit
_CONTEXT = 24
#: features shown per score
_TOP = 4


def _hits(text: str, name: str) -> list[tuple[int, int]]:
    from kg.gold import FoldedText, fold_name

    return list(FoldedText(text).find_all(fold_name(name)))


def _overlaps(a: int, b: int, s: int, e: int) -> bool:
    return a < e and s < b


def _weights(model, feats: Sequence[str]) -> str:
    return ", ".join(f"{f} {w:+.2f}" for f, w in model.explain(feats, _TOP))


def explain(documents: Iterable[Document], name: str, nlp=None) -> Iterator[str]:
    """Lines explaining every occurrence of ``name`` in ``documents``.

    Args:
        documents: The documents of a build.
        name: A name as a user types it (Simplified or Traditional).
        nlp: The pipeline (default :func:`kg.pipeline.default_nlp`).

    Yields:
        Lines of text.
    """
    from extractors import init_doc
    from kg.pipeline import default_nlp
    from kg.textprep import prepare

    nlp = nlp or default_nlp()
    found = 0
    for doc in documents:
        for k, seg in enumerate(prepare(doc)):
            hits = _hits(seg.text, name)
            if not hits:
                continue
            found += len(hits)
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
            yield from _explain_segment(nlp, sdoc, doc, k, seg, hits)
    if not found:
        yield f"explain: {name!r} does not occur in the input (after Traditional -> Simplified folding)"


def _explain_segment(nlp, sdoc, doc: Document, k: int, seg, hits) -> Iterator[str]:
    text = seg.text
    notes: list[tuple[int, int, str]] = []  # (start, end, line): what each step said about which span
    for pipe_name, proc in nlp.pipeline:
        if pipe_name == "kg_entities":
            notes += _entities(proc, sdoc)
        elif pipe_name == "kg_relation_decider":
            notes += _relations(proc, sdoc)
        elif pipe_name == "kg_measurement_decider":
            notes += _figures(proc, sdoc)
        sdoc = proc(sdoc)
    for s, e in hits:
        o_s, o_e = seg.source_span(s, e)
        left, right = text[max(0, s - _CONTEXT) : s], text[e : e + _CONTEXT]
        yield f"== {doc.id} segment {k}, chars [{o_s}, {o_e}) of the document: …{left}【{text[s:e]}】{right}…"
        lines = [line for a, b, line in notes if _overlaps(s, e, a, b)]
        yield from dict.fromkeys(lines)
        kept = [m for m in sdoc._.kg_mentions if _overlaps(s, e, m.start, m.end)]
        yield "  in the graph: " + (
            "; ".join(f"{m.label} {m.canonical}" for m in kept) if kept else "nothing here"
        )


def _entities(decider, sdoc) -> Iterator[tuple[int, int, str]]:
    from extractors import mentions

    for m in mentions(sdoc):
        yield m.start, m.end, f"  rule candidate: {m.label} {m.canonical} rule={m.attrs.get('source', '?')}"
    if decider.tagger is None:
        yield 0, len(sdoc.text), "  no trained model: the rules decide (kg_overlaps)"
        return
    crf_spans, marginals = decider.tag(sdoc)
    for a, b, lab in crf_spans:
        yield a, b, f"  tagger: {lab} {sdoc.text[a:b]!r}"
    if not decider.span_models:
        return
    for sp in decider.score_spans(sdoc, crf_spans, marginals, list(mentions(sdoc))):
        c = sp.candidate
        label, p = max(sp.scores.items(), key=lambda kv: kv[1])
        model = decider.span_models[label]
        verdict = "keep" if p >= model.threshold else "drop"
        yield (
            c.start,
            c.end,
            (
                f"  span {sdoc.text[c.start : c.end]!r} from {'+'.join(sorted(c.sources))}: "
                f"{label} p={p:.2f} ({verdict}); top: {_weights(model, sp.features)}"
            ),
        )


def _relations(decider, sdoc) -> Iterator[tuple[int, int, str]]:
    if not decider.models:
        return
    for sp in decider.score(sdoc):
        c = sp.candidate
        if not sp.scores:
            continue
        rel, p = max(sp.scores.items(), key=lambda kv: kv[1])
        if p < 0.1 and not c.votes:
            continue
        model = decider.models[rel]
        verdict = "keep" if p >= model.threshold else "drop"
        votes = ",".join(f"{r}:{rule}" for r, rule in c.votes) or "none"
        line = (
            f"  relation {c.head.canonical} {rel} {c.tail.canonical}: p={p:.2f} ({verdict}); "
            f"rule votes {votes}; top: {_weights(model, sp.features)}"
        )
        for m in (c.head, c.tail):
            yield m.start, m.end, line


def _figures(decider, sdoc) -> Iterator[tuple[int, int, str]]:
    if decider.model is None:
        return
    _ctx, scored = decider.score(sdoc)
    for sf in scored:
        for subject, feats, p in zip(sf.candidate.subjects, sf.features, sf.scores, strict=True):
            if p < 0.1:
                continue
            verdict = "keep" if p >= decider.model.threshold else "drop"
            yield (
                subject.start,
                subject.end,
                (
                    f"  figure {sf.candidate.value} about {subject.canonical}: p={p:.2f} ({verdict}); "
                    f"rule {sf.candidate.rule}; top: {_weights(decider.model, feats)}"
                ),
            )
