"""Binary logistic-regression models over named features, stored as JSON.

The relation and measurement deciders score candidates with one such model
per decision (``operatedBy``, ``partner``, ...). Features are strings
(``"between=联合"``, ``"rule=operatedBy:line_actor"``); a model is its bias
and a weight per feature. Training uses scikit-learn's ``LogisticRegression``
(lbfgs, fixed ``random_state``: the same data give the same weights);
applying a model is a sum of weights, so no scikit-learn object is ever
stored or loaded and a model file holds nothing but numbers and feature
names.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: decimals kept in the JSON (weights rounded so the file is the same on every platform)
WEIGHT_DECIMALS = 6


@dataclass
class LinearModel:
    """``p(yes | features) = sigmoid(bias + sum of feature weights)``."""

    bias: float = 0.0
    weights: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5

    def score(self, features: Iterable[str]) -> float:
        """The probability of "yes" for a candidate with these features."""
        # fsum is exact, so the probability does not depend on the (hash-seeded) order of a set
        z = self.bias + math.fsum(filter(None, map(self.weights.get, set(features))))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        ez = math.exp(z)
        return ez / (1.0 + ez)

    def explain(self, features: Iterable[str], top: int = 5) -> list[tuple[str, float]]:
        """The features that weigh most for this candidate, largest first."""
        w = self.weights
        scored = [(f, w[f]) for f in sorted(set(features)) if f in w]
        scored.sort(key=lambda p: -abs(p[1]))
        return scored[:top]

    def to_json(self) -> dict:
        """A JSON-ready dict (weights sorted by feature, rounded)."""
        return {
            "bias": round(self.bias, WEIGHT_DECIMALS),
            "threshold": self.threshold,
            "weights": {f: round(v, WEIGHT_DECIMALS) for f, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        """The model of :meth:`to_json` output.

        Raises:
            ValueError: ``data`` is not such a dict.
        """
        try:
            weights = {str(f): float(v) for f, v in data["weights"].items()}
            return cls(float(data["bias"]), weights, float(data.get("threshold", 0.5)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a linear model ({exc})") from None

    @classmethod
    def fit(
        cls,
        samples: Sequence[Sequence[str]],
        labels: Sequence[int],
        c: float = 1.0,
        min_count: int = 1,
        class_weight: str | None = None,
    ) -> LinearModel:
        """Fit on binary-labelled candidates.

        Args:
            samples: The feature strings of each candidate.
            labels: 1 (yes) or 0 (no) per candidate.
            c: Inverse L2 strength.
            min_count: Features seen in fewer candidates are dropped.
            class_weight: ``"balanced"`` to reweight the classes.

        Returns:
            The fitted model; with only one class present, a constant model.
        """
        from collections import Counter

        if not samples or len(set(labels)) < 2:
            p = (sum(labels) + 0.5) / (len(labels) + 1.0)
            return cls(math.log(p / (1 - p)), {})
        import numpy as np
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        counts = Counter(f for s in samples for f in set(s))
        vocab = sorted(f for f, n in counts.items() if n >= min_count)
        index = {f: i for i, f in enumerate(vocab)}
        rows, cols = [], []
        for r, s in enumerate(samples):
            for f in sorted({index[f] for f in s if f in index}):
                rows.append(r)
                cols.append(f)
        x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(samples), len(vocab)))
        clf = LogisticRegression(C=c, max_iter=2000, random_state=0, class_weight=class_weight)
        clf.fit(x, np.asarray(labels))
        weights = {f: float(w) for f, w in zip(vocab, clf.coef_[0], strict=True) if abs(w) >= 1e-6}
        return cls(float(clf.intercept_[0]), weights)


def save_models(path: str | Path, models: dict[str, LinearModel], meta: dict | None = None) -> None:
    """Write named models to one JSON file (sorted, the same bytes for the same models)."""
    data = {"meta": meta or {}, "models": {k: m.to_json() for k, m in sorted(models.items())}}
    Path(path).write_text(
        json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )


def load_models(path: str | Path) -> dict[str, LinearModel]:
    """Read the models of :func:`save_models`.

    Raises:
        ValueError: The file is not such a JSON file.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(k): LinearModel.from_json(v) for k, v in data["models"].items()}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a model file ({exc})") from None


class ModelSet:
    """Several linear models over one feature space, scored together (one dictionary lookup per feature).

    Scoring candidates one model at a time looks every feature up once per
    model; a deciding component scores each candidate with up to five. Here
    the weights are one matrix (feature -> row) and a batch of candidates is
    scored with a single gather and sum.
    """

    def __init__(self, models: dict[str, LinearModel]) -> None:
        import numpy as np

        self.names = sorted(models)
        self.models = models
        vocab: dict[str, int] = {}
        for name in self.names:
            for f in models[name].weights:
                vocab.setdefault(f, len(vocab))
        self.vocab = vocab
        self.weights = np.zeros((len(vocab) + 1, len(self.names)))  # the last row: no feature
        for k, name in enumerate(self.names):
            for f, w in models[name].weights.items():
                self.weights[vocab[f], k] = w
        self.bias = np.array([models[n].bias for n in self.names])
        self.thresholds = {n: models[n].threshold for n in self.names}

    def __bool__(self) -> bool:
        return bool(self.names)

    def score_many(self, samples: Sequence[Iterable[str]]) -> list[dict[str, float]]:
        """Probabilities of every model for each candidate, as ``{model: p}``."""
        import numpy as np

        if not samples or not self.names:
            return [{} for _ in samples]
        lookup, none = self.vocab.get, len(self.vocab)
        rows: list[int] = []
        starts: list[int] = []
        for feats in samples:
            starts.append(len(rows))
            hit = set(map(lookup, feats))
            hit.discard(None)
            rows.extend(sorted(hit) if hit else (none,))  # a fixed order of summation
        z = np.add.reduceat(self.weights[rows], starts, axis=0) + self.bias
        p = 1.0 / (1.0 + np.exp(-z))
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in p.tolist()]
