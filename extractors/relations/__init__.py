"""Relations between mentions: rules propose and vote, a trained model decides.

- :mod:`~extractors.relations.rules`: ``kg_relations``, the rules (each relation
  names the rule that found it); their relations are the votes the model reads;
- :mod:`~extractors.relations.candidates`: which pairs of mentions are considered;
- :mod:`~extractors.relations.features`: what the model sees of a pair;
- :mod:`~extractors.relations.decision`: ``kg_relation_decider``, one
  logistic-regression model per relation type over those features.
"""

from extractors.relations.rules import RelationFinder, sentence_spans, text_lines

__all__ = ["RelationFinder", "sentence_spans", "text_lines"]
