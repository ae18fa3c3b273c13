"""Entity decisions: rule candidates become features of a trained character tagger.

- :mod:`~extractors.entities.features`: what the tagger sees of each character;
- :mod:`~extractors.entities.tagger`: the CRF (python-crfsuite), trained and applied;
- :mod:`~extractors.entities.decision`: the ``kg_entities`` component, spans -> mentions.
"""
