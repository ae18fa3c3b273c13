"""``kg_entities``: the trained tagger decides which names are entities, and of what type.

The rule components before it (places, branches, organisations, programs,
platforms) propose candidate mentions; this component reads them as features
(:mod:`extractors.entities.features`), tags the characters with the CRF
(:mod:`extractors.entities.tagger`) and replaces ``doc._.kg_mentions`` by
what the model found:

- a tagged span that a rule also proposed takes that rule's canonical name,
  aliases and facts (a branch's group and place, a place's adcode), with the
  model's type;
- a span no rule proposed gets its canonical name from its shape (quotes and
  a leading year dropped, :func:`extractors.names.base_name`), and a place is
  looked up in the gazetteer;
- names nested in a kept span that GUIDELINES counts on their own (the place
  in 福建公司, the group in 中国移动福建公司) stay, as the rules found them.

Without a model the rules decide alone (:func:`extractors.overlaps.resolve_overlaps`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.entities.candidates import SpanCandidate, SpanContext, span_candidates, span_features
from extractors.entities.features import segment_features
from extractors.entities.tagger import CharTagger, Marginals, tag_spans
from extractors.gazetteer import LEVEL_RANK
from extractors.linear import LinearModel, ModelSet, load_models
from extractors.names import Tokens, base_name
from extractors.overlaps import MODEL_NESTABLE, NESTABLE, TYPE_PRIORITY, resolve_overlaps
from kg.model import Mention

#: file of the entity tagger inside a model folder
ENTITY_MODEL_FILE = "entities.crfsuite"
#: file of the span models (one per entity type) inside a model folder
SPAN_MODEL_FILE = "entity_spans.json"

_EDGE_JUNK = " \t\r\n，。；：、,.;:!?！？()（）[]【】-—·•"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation and unbalanced quotes at the edges of a tagged span."""
    from extractors.names import CLOSE_QUOTES, OPEN_QUOTES

    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    # a closing quote at the start or an opening quote at the end belongs to a neighbour
    while start < end and text[start] in CLOSE_QUOTES:
        start += 1
    while end > start and text[end - 1] in OPEN_QUOTES:
        end -= 1
    # a quote whose partner is outside the span (“爱心行动 before ”) is the name's frame, not the name
    inner = text[start:end]
    if start < end and text[start] in OPEN_QUOTES and not any(q in inner for q in CLOSE_QUOTES):
        start += 1
    if start < end and text[end - 1] in CLOSE_QUOTES and not any(q in inner for q in OPEN_QUOTES):
        end -= 1
    return start, end


def new_mention(text: str, start: int, end: int, label: str, gazetteer=None) -> Mention | None:
    """A mention for a span no rule proposed.

    Args:
        text: The segment text.
        start: Span start.
        end: Span end.
        label: The model's type.
        gazetteer: A :class:`~extractors.gazetteer.PlaceGazetteer` for places.

    Returns:
        The mention, or ``None`` when the span holds no name.
    """
    surface = text[start:end]
    name, aliases = base_name(surface)
    if len(name) < 2:
        return None
    attrs: dict = {"source": "model"}
    if label == "PLACE" and gazetteer is not None:
        senses = gazetteer.lookup(name)
        if senses:
            entry = min((e for e, _form in senses), key=lambda e: LEVEL_RANK.get(e.level, 9))
            attrs["place_level"] = entry.level
            if entry.adcode:
                attrs["adcode"] = entry.adcode
            parent = gazetteer.parent(entry)
            if parent is not None:
                attrs["parent"] = parent.canonical
            name = entry.canonical
            aliases.extend(n for n in entry.names if n != name and n == surface)
    aliases = [a for a in dict.fromkeys(aliases) if a != name]
    return Mention(start, end, label, name, surface, tuple(aliases), attrs)


@dataclass
class ScoredSpan:
    """A candidate span, its features and the probability of each type."""

    candidate: SpanCandidate
    features: list[str]
    scores: dict[str, float]


class EntityDecider:
    """Tag a ``Doc`` with the CRF and turn the spans into mentions."""

    def __init__(self, model_dir: str | Path | None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        path = self.model_dir / ENTITY_MODEL_FILE if self.model_dir else None
        self.tagger = CharTagger(path) if path is not None and path.is_file() else None
        spans = self.model_dir / SPAN_MODEL_FILE if self.model_dir else None
        self.span_models: dict[str, LinearModel] = load_models(spans) if spans and spans.is_file() else {}
        self._scorer = ModelSet(self.span_models)
        self._gazetteer = None

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from extractors.gazetteer import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def features(self, doc: Doc) -> list[list[str]]:
        """The tagger's features of ``doc`` (its rule candidates included)."""
        tokens = Tokens.of_doc(doc)
        return segment_features(
            doc_text(doc), list(zip(tokens.starts, tokens.ends, strict=True)), mentions(doc)
        )

    def match(self, doc: Doc) -> list[Mention]:
        """The mentions the model keeps; pure (reads the candidates, changes nothing)."""
        candidates = list(mentions(doc))
        if self.tagger is None:
            return resolve_overlaps(candidates)
        text = doc_text(doc)
        crf_spans, marginals = self.tag(doc)
        if not self.span_models:
            return self.decide(text, crf_spans, candidates)
        return self.select(text, self.score_spans(doc, crf_spans, marginals, candidates), candidates)

    def tag(self, doc: Doc) -> tuple[list[tuple[int, int, str]], Marginals]:
        """The tagger's spans (edges trimmed of punctuation) and its marginals."""
        text = doc_text(doc)
        tags, marginals = self.tagger.tag_with_marginals(self.features(doc))
        marginals.bind_length(len(text))
        spans = []
        for s, e, label in tag_spans(tags):
            s, e = _trim(text, s, e)
            if e > s:
                spans.append((s, e, label))
        return spans, marginals

    def span_context(self, doc: Doc, crf_spans, marginals) -> SpanContext:
        """What the span features read of ``doc``."""
        tokens = Tokens.of_doc(doc)
        return SpanContext(
            doc_text(doc),
            tokens.starts,
            tokens.ends,
            tokens.texts,
            list(crf_spans),
            marginals,
            self.gazetteer,
        )

    def score_spans(self, doc: Doc, crf_spans, marginals, candidates: list[Mention]) -> list[ScoredSpan]:
        """Every candidate span with the probability of each type; pure."""
        tokens = Tokens.of_doc(doc)
        ctx = self.span_context(doc, crf_spans, marginals)
        cands = span_candidates(
            ctx.text, list(zip(tokens.starts, tokens.ends, strict=True)), candidates, crf_spans
        )
        feats = [span_features(ctx, c) for c in cands]
        if self._scorer.names != sorted(self.span_models):  # models set after construction (training)
            self._scorer = ModelSet(self.span_models)
        scores = self._scorer.score_many(feats)
        return [ScoredSpan(c, f, sc) for c, f, sc in zip(cands, feats, scores, strict=True)]

    def select(self, text: str, scored: list[ScoredSpan], candidates: list[Mention]) -> list[Mention]:
        """Keep the best-scoring consistent spans and turn them into mentions.

        Spans are taken by falling score; one that crosses a kept span, or
        nests in one where GUIDELINES does not count both, is dropped.
        """
        best = []
        for sp in scored:
            if not sp.scores:
                continue
            label, p = max(sp.scores.items(), key=lambda kv: (kv[1], kv[0]))
            if p >= self.span_models[label].threshold:
                best.append((p, label, sp.candidate))
        best.sort(key=lambda x: (-x[0], x[2].start, x[2].end))
        kept: list[tuple[int, int, str, SpanCandidate]] = []
        for _p, label, c in best:
            ok = True
            for ks, ke, kl, _ in kept:
                if c.end <= ks or ke <= c.start:
                    continue
                if (ks, ke) == (c.start, c.end):
                    ok = False
                elif ks <= c.start and c.end <= ke:
                    ok = (label, kl) in MODEL_NESTABLE
                elif c.start <= ks and ke <= c.end:
                    ok = (kl, label) in MODEL_NESTABLE
                else:
                    ok = False
                if not ok:
                    break
            if ok:
                kept.append((c.start, c.end, label, c))
        out = []
        for s, e, label, c in kept:
            m = self._from_rules(c.rules, label)
            if m is None:
                s2, e2 = _trim(text, s, e)
                m = new_mention(text, s2, e2, label, self.gazetteer) if e2 > s2 else None
            if m is not None:
                out.append(m)
        out.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return out

    def decide(
        self, text: str, spans: Sequence[tuple[int, int, str]], candidates: list[Mention]
    ) -> list[Mention]:
        """Mentions from tagged spans and the rule candidates.

        Args:
            text: The segment text.
            spans: ``(start, end, TYPE)`` from the tagger.
            candidates: The rule candidates.

        Returns:
            Mentions sorted by position.
        """
        by_span: dict[tuple[int, int], list[Mention]] = {}
        for m in candidates:
            by_span.setdefault((m.start, m.end), []).append(m)
        kept: list[Mention] = []
        for s, e, label in spans:
            s, e = _trim(text, s, e)
            if e - s < 1:
                continue
            m = self._from_rules(by_span.get((s, e), ()), label)
            if m is None:
                m = new_mention(text, s, e, label, self.gazetteer)
            if m is not None:
                kept.append(m)
        rule_final = resolve_overlaps(candidates)
        outer = list(kept)
        for m in rule_final:
            for k in outer:
                if k.start <= m.start and m.end <= k.end and (m.start, m.end) != (k.start, k.end):
                    if (m.label, k.label) in NESTABLE:
                        kept.append(m)
                    break
        kept.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return kept

    @staticmethod
    def _from_rules(found: Sequence[Mention], label: str) -> Mention | None:
        if not found:
            return None
        same = [m for m in found if m.label == label]
        if same:
            return min(same, key=lambda m: TYPE_PRIORITY.get(m.label, 9))
        if label == "PLACE":  # a rule's organisation name is not a place's canonical form
            return None
        m = min(found, key=lambda m: TYPE_PRIORITY.get(m.label, 9))
        attrs = dict(m.attrs)
        attrs["rule_label"] = m.label
        return Mention(m.start, m.end, label, m.canonical, m.surface, m.aliases, attrs, m.implicit)

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_mentions = self.match(doc)
        return doc


@Language.factory(
    "kg_entities",
    assigns=["doc._.kg_mentions"],
    requires=["doc._.kg_mentions"],
    default_config={"model_dir": None},
)
def make_entities(nlp: Language, name: str, model_dir: str | None) -> EntityDecider:
    """spaCy factory of :class:`EntityDecider` (``model_dir``: a folder written by ``kg train``)."""
    return EntityDecider(model_dir)
