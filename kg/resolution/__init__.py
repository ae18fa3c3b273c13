"""Entity resolution as a scored, audited decision (used by :mod:`kg.resolve`).

Modules, in the order they run: :mod:`~kg.resolution.grounding` (place
groundings against their context), :mod:`~kg.resolution.labels` (aliases
that name something else), :mod:`~kg.resolution.names` and
:mod:`~kg.resolution.blocking` (normalised keys, candidate pairs, with the
lexicon of bodies of :mod:`~kg.resolution.lexicon`),
:mod:`~kg.resolution.scoring` (features, conflicts, score),
:mod:`~kg.resolution.clustering` (guarded joins, cluster names), then
:mod:`~kg.resolution.labels` again (labels two nodes share) and
:mod:`~kg.resolution.audit` (``merges.csv`` and the summary). They work on
plain records (:class:`~kg.resolution.profile.Profile`, the records of
:mod:`kg.extract`), never on extractor internals.
"""
