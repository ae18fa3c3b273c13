"""The pipeline is configured, not hard-wired: its config round-trips and its factories are entry points."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import spacy

from kg.extract import extract_document
from kg.model import Document
from kg.pipeline import DEFAULT_PIPES, build_nlp, default_nlp

ROOT = Path(__file__).resolve().parents[1]
TEXT = "中国移动福建公司联合福建省教育厅开展“爱心助学行动”，惠及1.2万名学生。"


def _declared_factories() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["entry-points"]["spacy_factories"]


def _defined_factories() -> dict[str, str]:
    """Every ``@Language.factory("name")`` in extractors/, as ``name -> module:function``."""
    found = {}
    for path in sorted((ROOT / "extractors").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)
                        and deco.func.attr == "factory" and deco.args
                        and isinstance(deco.args[0], ast.Constant)):
                    found[deco.args[0].value] = f"{module}:{node.name}"
    return found


def test_pipeline_every_factory_is_a_spacy_factories_entry_point() -> None:
    assert _declared_factories() == _defined_factories()
    assert set(DEFAULT_PIPES) <= set(_declared_factories())


def test_pipeline_config_round_trips() -> None:
    """``nlp.config`` alone rebuilds the same pipeline: same components, settings and output."""
    nlp = build_nlp(config={"kg_organizations": {"max_name_chars": 16}})
    again = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    assert again.pipe_names == nlp.pipe_names == list(DEFAULT_PIPES)
    assert again.config.to_str() == nlp.config.to_str()
    assert again.get_pipe_config("kg_organizations")["max_name_chars"] == 16
    doc = Document("d", TEXT, publisher="中国移动")
    assert extract_document(again, doc) == extract_document(nlp, doc)


def test_pipeline_default_config_round_trips_in_a_fresh_process(tmp_path: Path) -> None:
    """In a process that never imported extractors/, spaCy finds the components through entry points."""
    config = tmp_path / "config.cfg"
    default_nlp().config.to_disk(config)
    code = (
        "import sys, spacy; from spacy.util import load_config, load_model_from_config; "
        f"nlp = load_model_from_config(load_config({str(config)!r}), auto_fill=True); "
        "print(','.join(nlp.pipe_names))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ",".join(DEFAULT_PIPES)


@pytest.mark.parametrize("name", DEFAULT_PIPES)
def test_pipeline_factory_found_by_name_on_a_blank_pipeline(name: str) -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe(name)
    assert nlp.pipe_names == [name]
