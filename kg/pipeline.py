"""The spaCy pipeline: a blank ``zh`` tokenizer (jieba) and our components.

The pipeline is configured, not hard-wired: :data:`DEFAULT_PIPES` names the
registered factories in order, and ``build_nlp(pipes=...)`` swaps them. The
factories are declared as ``spacy_factories`` entry points in
``pyproject.toml``, so spaCy finds them by name in any process (``nlp.config``
loads back with ``spacy.util.load_model_from_config``) without this module
importing them. Nothing here loads model weights; every component ships its
data in the package.
"""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

#: components in order: entities, then choice among them, then relations and figures
DEFAULT_PIPES: tuple[str, ...] = (
    "kg_places",
    "kg_branches",
    "kg_organizations",
    "kg_programs",
    "kg_platforms",
    "kg_overlaps",
    "kg_publisher",
    "kg_relations",
    "kg_measurements",
)

#: bump when extraction output changes, so cached results are not reused
PIPELINE_VERSION = "1"


@functools.cache
def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def build_nlp(pipes: tuple[str, ...] = DEFAULT_PIPES, config: dict | None = None) -> Language:
    """Create the extraction pipeline.

    Args:
        pipes: Names of registered factories, in order.
        config: Optional per-component config, ``{pipe_name: {...}}``.

    Returns:
        A blank Chinese ``Language`` with jieba segmentation and ``pipes`` added.
    """
    _quiet_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in pipes:
        nlp.add_pipe(name, config=(config or {}).get(name, {}))
    return nlp


def places_config(places_dir: str | None) -> dict:
    """Per-component config that makes every component read the place gazetteer in ``places_dir``.

    Args:
        places_dir: Folder of the place data (``places_*.jsonl``, ``places_world.tsv``,
            ``places_rules.json``); ``None`` for the bundled data.

    Returns:
        ``{pipe_name: {...}}`` for :func:`build_nlp`; empty for the bundled data.
    """
    if places_dir is None:
        return {}
    return {"kg_places": {"data_dir": str(places_dir)}, "kg_relations": {"data_dir": str(places_dir)}}


@functools.cache
def default_nlp(places_dir: str | None = None) -> Language:
    """The default pipeline, built once per process (per gazetteer folder).

    Args:
        places_dir: Folder of the place gazetteer; ``None`` for the bundled one.
    """
    return build_nlp(config=places_config(places_dir))
