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
import json
import logging
import os
from pathlib import Path

import spacy
from spacy.language import Language

from kg.errors import ModelError

#: components in order: entities, then choice among them, then relations and figures
DEFAULT_PIPES: tuple[str, ...] = (
    "kg_places",
    "kg_branches",
    "kg_organizations",
    "kg_programs",
    "kg_platforms",
    "kg_entities",
    "kg_publisher",
    "kg_relations",
    "kg_relation_decider",
    "kg_measurement_decider",
)

#: components that read a trained model folder (``model_dir`` in their config)
MODEL_PIPES: tuple[str, ...] = ("kg_entities", "kg_relation_decider", "kg_measurement_decider")
#: environment variable naming the model folder (``kg build --model`` sets it for workers too)
MODEL_ENV = "KG_MODEL"
#: values of ``model_dir`` / ``$KG_MODEL`` / ``kg build --model`` that mean "no model: the rules decide"
RULES_ONLY = ("none", "rules", "")
#: the file every model folder holds
MODEL_META = "meta.json"
#: version of the model folder layout
MODEL_FORMAT = 1

#: bump when extraction output changes, so cached results are not reused
PIPELINE_VERSION = "6"


@functools.cache
def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def shipped_model_dir() -> Path:
    """The model folder shipped inside the package (trained by ``kg train`` on the gold passages)."""
    return Path(__file__).resolve().parent.parent / "extractors" / "models" / "default"


def active_model_dir() -> Path | None:
    """The model the pipeline uses: ``$KG_MODEL`` if set (``none``: rules only), else the shipped one.

    Raises:
        ModelError: ``$KG_MODEL`` names a folder that holds no model.
    """
    chosen = os.environ.get(MODEL_ENV)
    if chosen is not None:
        if chosen.strip().lower() in RULES_ONLY:
            return None
        path = Path(chosen)
        check_model_dir(path)
        return path
    shipped = shipped_model_dir()
    return shipped if (shipped / MODEL_META).is_file() else None


def model_identity() -> str | None:
    """What the extraction cache must know of the model: ``None`` for the shipped one, ``"rules"`` for
    none, else the folder of a user's model."""
    model = active_model_dir()
    if model is None:
        return "rules"
    if model.resolve() == shipped_model_dir().resolve():
        return None
    return str(model)


def use_model(model_dir: str | Path) -> None:
    """Make ``model_dir`` the model of this process and of the workers it starts (``$KG_MODEL``).

    Args:
        model_dir: A folder written by ``kg train``, or ``none`` for the rules alone.

    Raises:
        ModelError: The folder holds no model.
    """
    if str(model_dir).strip().lower() not in RULES_ONLY:
        check_model_dir(Path(model_dir))
    os.environ[MODEL_ENV] = str(model_dir)
    default_nlp.cache_clear()


def check_model_dir(path: Path) -> dict:
    """Read a model folder's ``meta.json``.

    Args:
        path: A folder written by ``kg train``.

    Returns:
        The parsed meta data.

    Raises:
        ModelError: The folder or its meta data is missing or unreadable.
    """
    meta = Path(path) / MODEL_META
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: not a model folder (no {MODEL_META}; make one with `kg train`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta}: unreadable model meta data ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"{meta}: not a model of this version of initiative-kg (format {MODEL_FORMAT})")
    return data


def build_nlp(
    pipes: tuple[str, ...] = DEFAULT_PIPES,
    config: dict | None = None,
    model_dir: str | Path | None = None,
) -> Language:
    """Create the extraction pipeline.

    Args:
        pipes: Names of registered factories, in order.
        config: Optional per-component config, ``{pipe_name: {...}}``.
        model_dir: Trained model folder for the learned components; default
            :func:`active_model_dir`; ``"none"`` for the rules alone.

    Returns:
        A blank Chinese ``Language`` with jieba segmentation and ``pipes`` added.
    """
    _quiet_jieba()
    if model_dir is None:
        model_dir = active_model_dir()
    elif str(model_dir).strip().lower() in RULES_ONLY:
        model_dir = None
    else:
        check_model_dir(Path(model_dir))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in pipes:
        cfg = dict((config or {}).get(name, {}))
        if name in MODEL_PIPES and "model_dir" not in cfg:
            cfg["model_dir"] = str(model_dir) if model_dir is not None else None
        nlp.add_pipe(name, config=cfg)
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
