"""A linear-chain CRF over characters (python-crfsuite) that decides the entity spans.

The model file is CRFsuite's own binary format: weights and feature strings,
read by its C library. Loading one runs no Python code from the file, so a
model someone sent cannot execute anything. Training is L-BFGS over a fixed
order of examples: the same examples give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

#: BIO tags are ``B-TYPE``, ``I-TYPE`` and ``O``
OUTSIDE = "O"

#: training parameters (CRFsuite names); elastic net, enough iterations to converge
DEFAULT_PARAMS: dict = {
    "c1": 0.1,
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}


def bio_tags(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags of a sequence of ``n`` characters with the given labelled spans.

    Args:
        n: Sequence length.
        spans: ``(start, end, TYPE)``, not overlapping.

    Returns:
        One tag per character.
    """
    tags = [OUTSIDE] * n
    for s, e, t in spans:
        if s >= e:
            continue
        tags[s] = "B-" + t
        for i in range(s + 1, e):
            tags[i] = "I-" + t
    return tags


def tag_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Read ``(start, end, TYPE)`` spans back from BIO tags (a stray ``I-`` opens a span)."""
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, t in enumerate([*tags, OUTSIDE]):
        if start >= 0 and t != "I-" + label:
            out.append((start, i, label))
            start = -1
        if t.startswith("B-") or (t.startswith("I-") and start < 0):
            start, label = i, t[2:]
    return out


class CharTagger:
    """A trained CRF: character features in, BIO tags out."""

    def __init__(self, path: str | Path) -> None:
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(self.path))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{self.path}: not a CRFsuite model ({exc})") from None

    def tag(self, features: Sequence[Sequence[str]]) -> list[str]:
        """The most likely tags of one sequence."""
        if not features:
            return []
        return list(self._tagger.tag(features))

    def tag_with_marginals(self, features: Sequence[Sequence[str]]) -> tuple[list[str], Marginals]:
        """The most likely tags and a reader of the marginal probability of any tag anywhere."""
        if not features:
            return [], Marginals(None, frozenset())
        tags = list(self._tagger.tag(features))
        return tags, Marginals(self._tagger, frozenset(self._tagger.labels()))

    @staticmethod
    def train(
        sequences: Iterable[tuple[Sequence[Sequence[str]], Sequence[str]]],
        path: str | Path,
        params: dict | None = None,
    ) -> Path:
        """Fit a CRF and write it to ``path``.

        Args:
            sequences: ``(features, tags)`` pairs, in a fixed order.
            path: Where the model file goes.
            params: CRFsuite training parameters (default :data:`DEFAULT_PARAMS`).

        Returns:
            ``path``.
        """
        import pycrfsuite

        trainer = pycrfsuite.Trainer(verbose=False)
        for features, tags in sequences:
            if features:
                trainer.append(features, tags)
        trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
        trainer.train(str(path))
        return Path(path)


class Marginals:
    """Marginal tag probabilities of the sequence a :class:`CharTagger` tagged last."""

    def __init__(self, tagger, labels: frozenset[str]) -> None:
        self._tagger = tagger
        self.labels = labels

    def __call__(self, tag: str, i: int) -> float:
        """``P(tag at position i)``; 0 for a tag the model does not know."""
        if self._tagger is None or tag not in self.labels:
            return 0.0
        return self._tagger.marginal(tag, i)

    def span(self, start: int, end: int, label: str, floor: float = 0.0) -> float:
        """Probability-like score that ``[start, end)`` is exactly one ``label`` name.

        The smallest of: ``B-label`` at the start, ``I-label`` inside, and
        "not ``I-label``" right after the end. Reading stops as soon as the
        score is below ``floor`` (the caller ignores such spans), and then
        returns a value below ``floor``.
        """
        tagger = self._tagger
        if tagger is None or end <= start:
            return 0.0
        # self(tag, i) inlined: this runs for every candidate span and type
        labels = self.labels
        begin, inside = "B-" + label, "I-" + label
        p = tagger.marginal(begin, start) if begin in labels else 0.0
        known = inside in labels
        for i in range(start + 1, end):
            if p < floor:
                return p
            p = min(p, tagger.marginal(inside, i) if known else 0.0)
        if end < self._tagger_len() and p >= floor:
            p = min(p, 1.0 - (tagger.marginal(inside, end) if known else 0.0))
        return p

    def _tagger_len(self) -> int:
        return self._len

    def bind_length(self, n: int) -> Marginals:
        """Record the sequence length (needed for the end test)."""
        self._len = n
        return self
