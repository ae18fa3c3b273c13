"""``kg_measurement_decider``: the rules read the figures, a trained model picks their subjects.

For every figure (:mod:`extractors.measurements.candidates`) each possible
subject is scored by one logistic-regression model
(:mod:`extractors.linear`); the best subject above the threshold is kept,
with the year and indicator read around the figure as the rules read them.
Without a model the rules decide alone (``kg_measurements``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors import mentions
from extractors.linear import LinearModel, load_models
from extractors.measurements.candidates import FigureCandidate, figure_candidates
from extractors.measurements.features import figure_features
from extractors.measurements.rules import MeasurementContext, MeasurementParser
from extractors.names import Tokens
from kg.model import MeasurementItem, Mention

#: file of the measurement model inside a model folder
MEASUREMENT_MODEL_FILE = "measurements.json"
#: name of the subject model in that file
SUBJECT_MODEL = "subject"


@dataclass
class ScoredFigure:
    """A figure with the features and probability of each possible subject."""

    candidate: FigureCandidate
    features: list[list[str]]
    scores: list[float]


class MeasurementDecider:
    """Tie each figure to its most probable subject."""

    def __init__(self, model_dir: str | Path | None, data_dir: str | None = None) -> None:
        self.rules = MeasurementParser("kg_measurements", Path(data_dir) if data_dir else None)
        path = Path(model_dir) / MEASUREMENT_MODEL_FILE if model_dir else None
        models = load_models(path) if path and path.is_file() else {}
        self.model: LinearModel | None = models.get(SUBJECT_MODEL)

    def candidates(self, doc: Doc) -> tuple[MeasurementContext, list[FigureCandidate], tuple]:
        """The rules' context, the figure candidates and the token arrays of ``doc``."""
        ctx, tables, prose = self.rules.proposals(doc)
        tokens = Tokens.of_doc(doc)
        return ctx, figure_candidates(ctx, tables, prose), (tokens.starts, tokens.texts)

    def score(self, doc: Doc) -> tuple[MeasurementContext, list[ScoredFigure]]:
        """Every figure with the probability of each subject; pure."""
        ctx, cands, words = self.candidates(doc)
        out = []
        for c in cands:
            feats = [figure_features(ctx, c, s, words) for s in c.subjects]
            scores = [self.model.score(f) for f in feats] if self.model else []
            out.append(ScoredFigure(c, feats, scores))
        return ctx, out

    def match(self, doc: Doc) -> list[MeasurementItem]:
        """The figures kept, with their subjects (the rules' reading without a model)."""
        if self.model is None:
            return self.rules.match(doc)
        ctx, scored = self.score(doc)
        out = []
        for sf in scored:
            if not sf.scores:
                continue
            k = max(range(len(sf.scores)), key=lambda i: (sf.scores[i], -i))
            if sf.scores[k] < self.model.threshold:
                continue
            out.append(self.item(ctx, sf.candidate, sf.candidate.subjects[k]))
        out.sort(key=lambda it: (it.start, it.end))
        return out

    def item(self, ctx: MeasurementContext, c: FigureCandidate, subject: Mention) -> MeasurementItem:
        """The record of figure ``c`` about ``subject``."""
        if c.rule_item is not None and c.rule_item.subject is subject:
            return c.rule_item
        if c.number is None:
            r = c.rule_item
            return MeasurementItem(subject, r.value, r.unit, r.year, r.indicator, r.start, r.end)
        sent = ctx.sentence(c.number.start)
        clause = ctx.clause(c.number.start, sent)
        in_clause = clause[0] <= subject.start and subject.end <= c.number.start
        return self.rules.item_for(ctx, c.number, subject, in_clause)

    def __call__(self, doc: Doc) -> Doc:
        mentions(doc)  # creates the record lists when the component runs alone
        doc._.kg_measurements.extend(self.match(doc))
        return doc


@Language.factory(
    "kg_measurement_decider",
    assigns=["doc._.kg_measurements"],
    requires=["doc._.kg_mentions", "doc._.kg_meta"],
    default_config={"model_dir": None, "data_dir": None},
)
def make_measurement_decider(
    nlp: Language, name: str, model_dir: str | None, data_dir: str | None
) -> MeasurementDecider:
    """spaCy factory of :class:`MeasurementDecider` (``model_dir``: a folder written by ``kg train``)."""
    return MeasurementDecider(model_dir, data_dir)
