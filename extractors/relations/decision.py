"""``kg_relation_decider``: a trained model keeps, types or drops every candidate pair.

Runs after ``kg_relations`` (the rules), whose relations become votes
(:mod:`extractors.relations.features`). For each candidate pair
(:mod:`extractors.relations.candidates`) every relation its types allow is
scored by its own logistic-regression model (:mod:`extractors.linear`);
the best relation above its threshold is kept. One ``(head, relation,
tail)`` is kept once, where it scored highest. Without a model the rules'
relations stay as they are. Either way, the operators of products named
with a group's brand are set right last (:mod:`extractors.relations.brands`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors import doc_text, mentions
from extractors.lexicon import publisher_group
from extractors.linear import LinearModel, ModelSet, load_models
from extractors.names import Tokens
from extractors.relations.brands import attribute_brands
from extractors.relations.candidates import PairCandidate, pair_candidates, sentence_index
from extractors.relations.features import PairContext, pair_features
from extractors.relations.rules import sentence_spans
from kg.model import Mention, RelationItem

#: file of the relation models inside a model folder
RELATION_MODEL_FILE = "relations.json"


def publisher_mention(doc: Doc) -> Mention | None:
    """The document's publisher as a mention without a span (``None`` if it has none)."""
    publisher = (doc._.kg_meta or {}).get("publisher")
    if not publisher:
        return None
    group = publisher_group(publisher)
    canonical = group.canonical if group else publisher
    aliases = group.aliases if group else ()
    return Mention(0, 0, "ORG", canonical, "", aliases, {"source": "publisher"}, implicit=True)


@dataclass
class ScoredPair:
    """A candidate with its features and the probability of each allowed relation."""

    candidate: PairCandidate
    features: list[str]
    scores: dict[str, float]


def doc_pairs(doc: Doc) -> tuple[PairContext, list[PairCandidate]]:
    """The candidate pairs of ``doc`` and the context their features read."""
    ms = sorted(mentions(doc), key=lambda m: (m.start, -(m.end - m.start)))
    publisher = publisher_mention(doc)
    cands = pair_candidates(ms, sentence_spans(doc), doc._.kg_relations or [], publisher)
    tokens = Tokens.of_doc(doc)
    ctx = PairContext(
        doc_text(doc),
        tokens.starts,
        tokens.ends,
        tokens.texts,
        ms,
        publisher.canonical if publisher else None,
    )
    return ctx, cands


def evidence_span(sentences: list[tuple[int, int]], *ms: Mention) -> tuple[int, int]:
    """From the start of the sentence of the first mention to the end of the sentence of the last one.

    Mentions without a span (the publisher, known from the document) do not count.
    """
    spans = [(m.start, m.end) for m in ms if m.end > m.start]
    if not spans:
        return 0, 0
    first = sentence_index(sentences, min(s for s, _ in spans))
    last = sentence_index(sentences, max(e for _, e in spans) - 1)
    if not sentences:
        return min(s for s, _ in spans), max(e for _, e in spans)
    return sentences[first][0], sentences[last][1]


class RelationDecider:
    """Score candidate pairs with one linear model per relation."""

    def __init__(self, model_dir: str | Path | None) -> None:
        path = Path(model_dir) / RELATION_MODEL_FILE if model_dir else None
        self.models: dict[str, LinearModel] = load_models(path) if path and path.is_file() else {}
        self._scorer = ModelSet(self.models)

    def score(self, doc: Doc) -> list[ScoredPair]:
        """Every candidate of ``doc`` with its relation probabilities; pure."""
        ctx, cands = doc_pairs(doc)
        feats = [pair_features(ctx, c) for c in cands]
        out = []
        for c, f, sc in zip(cands, feats, self._scorer.score_many(feats), strict=True):
            out.append(ScoredPair(c, f, {r: sc[r] for r in c.relations if r in sc}))
        return out

    def match(self, doc: Doc) -> list[RelationItem]:
        """The relations kept: the model's (the rules' when there is no model), brands attributed."""
        kept = self.decide(doc) if self.models else list(doc._.kg_relations or [])
        ms = sorted(mentions(doc), key=lambda m: (m.start, -(m.end - m.start)))
        return attribute_brands(kept, ms, sentence_spans(doc))

    def decide(self, doc: Doc) -> list[RelationItem]:
        """The relations the model keeps among the candidates of ``doc``."""
        best: dict[tuple, tuple[float, RelationItem]] = {}
        stated = {(r.head.key, r.relation, r.tail.key): (r.start, r.end) for r in doc._.kg_relations or []}
        sentences = sentence_spans(doc)
        for sp in self.score(doc):
            if not sp.scores:
                continue
            rel, p = max(sp.scores.items(), key=lambda kv: (kv[1], kv[0]))
            if p < self.models[rel].threshold:
                continue
            c = sp.candidate
            h, t = c.head, c.tail
            # where it is stated: the rule's span, else the sentence(s) holding both mentions
            start, end = stated.get((h.key, rel, t.key)) or evidence_span(sentences, h, t)
            rules = "+".join(sorted({rule for r, rule in c.votes if r == rel}))
            item = RelationItem(h, rel, t, start, end, f"model({p:.2f})" + (f":{rules}" if rules else ""))
            key = (h.key, rel, t.key)
            if key not in best or p > best[key][0]:
                best[key] = (p, item)
        return [
            item for _, item in sorted(best.values(), key=lambda pi: (pi[1].start, pi[1].end, pi[1].relation))
        ]

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_relations = self.match(doc)
        return doc


@Language.factory(
    "kg_relation_decider",
    assigns=["doc._.kg_relations"],
    requires=["doc._.kg_mentions", "doc._.kg_relations"],
    default_config={"model_dir": None},
)
def make_relation_decider(nlp: Language, name: str, model_dir: str | None) -> RelationDecider:
    """spaCy factory of :class:`RelationDecider` (``model_dir``: a folder written by ``kg train``)."""
    return RelationDecider(model_dir)
