"""Figures tied to entities: rules read the numbers and propose subjects, a trained model decides.

- :mod:`~extractors.measurements.rules`: ``kg_measurements``, the rules (tables and
  running text; the subject rule that chose each figure is its vote);
- :mod:`~extractors.measurements.candidates`: every figure with the mentions it may be about;
- :mod:`~extractors.measurements.features`: what the model sees of a (figure, subject) pair;
- :mod:`~extractors.measurements.decision`: ``kg_measurement_decider``, which keeps
  the best subject of each figure where the model is sure enough.
"""

from extractors.measurements.rules import MeasurementParser

__all__ = ["MeasurementParser"]
