"""The learned components: gold projection, linear models, ``kg train``, ``kg build --model``, ``--explain``.

The training passages are made here from templates with invented names (a
kind of program the rules do not know, ending in 帮扶营), so a model that
learned from them finds what the rules alone miss.
"""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pytest
from testkit import kg_command

from kg.errors import InputError
from kg.gold import GoldPassage, fold_name, passage_from_record, project, read_gold
from kg.model import Document
from kg.textprep import prepare

STEMS = [
    "晨曦护苗",
    "青禾筑梦",
    "远山助学",
    "星火育才",
    "暖阳陪伴",
    "白鹭守望",
    "春泥润心",
    "山海同行",
    "萤光启智",
    "清泉滋养",
    "云梯攀登",
    "麦浪丰收",
]
PLACES = ["贵州", "云南", "甘肃", "青海", "四川", "广西", "湖南", "江西", "河北", "山西", "安徽", "陕西"]
SCHOOLS = [
    "清华大学",
    "北京师范大学",
    "浙江大学",
    "南开大学",
    "武汉大学",
    "中山大学",
    "厦门大学",
    "山东大学",
    "四川大学",
    "吉林大学",
    "兰州大学",
    "复旦大学",
]


def _record(k: int, stem: str, place: str, school: str, n: int) -> dict:
    program = f"{stem}帮扶营"
    text = (
        f"2023年，中国移动在{place}启动{program}，联合{school}为当地{n}名留守儿童提供课业辅导。"
        f"{program}已覆盖{place}多所乡村学校。"
    )
    return {
        "id": f"t{k}",
        "publisher": "中国移动",
        "year": 2023,
        "text": text,
        "entities": [
            {"type": "ORG", "canonical": "中国移动", "aliases": []},
            {"type": "PROGRAM", "canonical": program, "aliases": []},
            {"type": "PLACE", "canonical": place, "aliases": []},
            {"type": "ORG", "canonical": school, "aliases": []},
        ],
        "relations": [
            {"head": program, "relation": "operatedBy", "tail": "中国移动"},
            {"head": program, "relation": "implementedIn", "tail": place},
            {"head": program, "relation": "partner", "tail": school},
        ],
        "measurements": [
            {"subject": program, "value": n, "unit": "名", "year": 2023, "indicator": "留守儿童"}
        ],
    }


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A model trained on twelve templated passages (no cross-validation)."""
    tmp = tmp_path_factory.mktemp("learned")
    gold = _write(
        tmp / "gold.jsonl",
        [
            _record(k, s, p, u, 100 + 37 * k)
            for k, (s, p, u) in enumerate(zip(STEMS, PLACES, SCHOOLS, strict=True))
        ],
    )
    out = tmp / "model"
    proc = subprocess.run(
        [*kg_command(), "train", str(gold), "--out", str(out), "--folds", "0", "-q"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _build(tmp: Path, text: str, model: str) -> str:
    doc = tmp / f"in-{model.replace('/', '_')[-12:]}.jsonl"
    _write(doc, [{"id": "new", "publisher": "中国移动", "year": 2024, "text": text}])
    out = tmp / f"out-{abs(hash(model))}"
    proc = subprocess.run(
        [*kg_command(), "build", str(doc), "--out", str(out), "--no-html", "-q", "--model", model],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return (out / "graph.ttl").read_text(encoding="utf-8")


# ---------------------------------------------------------------- gold
def test_gold_project_finds_names_across_quotes_and_scripts() -> None:
    rec = {
        "id": "a",
        "publisher": "中国移动",
        "text": "中國移動開展愛“心”行動，在福建公司推進。",
        "entities": [
            {"type": "PROGRAM", "canonical": "爱心行动"},
            {"type": "SUBSIDIARY", "canonical": "中国移动福建公司", "aliases": ["福建公司"]},
            {"type": "PLACE", "canonical": "福建"},
        ],
    }
    p = passage_from_record(rec)
    seg = prepare(p.document)[0]
    spans = {(seg.text[g.start : g.end], g.type) for g in project(p, seg)}
    # the longest name wins where names overlap: 福建 inside 福建公司 is not projected on its own
    assert spans == {("爱“心”行动", "PROGRAM"), ("福建公司", "SUBSIDIARY")}


def test_gold_fold_name_matches_scorer_folding() -> None:
    assert fold_name("《聯通雲》 App") == fold_name("联通云app")


def test_gold_read_reports_bad_lines_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text(
        '{"id": "x", "text": "文本", "entities": [{"type": "THING", "canonical": "x"}]}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"g.jsonl:1: bad entity"):
        read_gold([bad])


# ---------------------------------------------------------------- linear models
def test_linear_model_json_round_trip_and_determinism(tmp_path: Path) -> None:
    from extractors.linear import LinearModel, load_models, save_models

    xs = [["a", "b"], ["a"], ["c"], ["c", "b"], ["a", "d"], ["c", "d"]]
    ys = [1, 1, 0, 0, 1, 0]
    m1, m2 = LinearModel.fit(xs, ys), LinearModel.fit(xs, ys)
    save_models(tmp_path / "1.json", {"x": m1})
    save_models(tmp_path / "2.json", {"x": m2})
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()
    loaded = load_models(tmp_path / "1.json")["x"]
    assert loaded.score(["a"]) > 0.5 > loaded.score(["c"])
    assert abs(loaded.score(["a", "b"]) - m1.score(["a", "b"])) < 1e-4


def test_linear_model_refuses_a_file_that_is_not_one(tmp_path: Path) -> None:
    from extractors.linear import load_models

    path = tmp_path / "m.json"
    path.write_bytes(pickle.dumps({"models": 1}))
    with pytest.raises(ValueError, match="not a model file"):
        load_models(path)


# ---------------------------------------------------------------- kg train / kg build --model
def test_train_writes_data_files_only(trained: Path) -> None:
    names = sorted(p.name for p in trained.iterdir())
    assert names == [
        "entities.crfsuite",
        "entity_spans.json",
        "measurements.json",
        "meta.json",
        "relations.json",
    ]
    assert (trained / "entities.crfsuite").read_bytes()[:4] == b"lCRF"  # CRFsuite's own format
    for p in trained.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))  # plain JSON, loads without running code
    meta = json.loads((trained / "meta.json").read_text(encoding="utf-8"))
    assert meta["passages"] == 12 and set(meta["files"]) == set(names) - {"meta.json"}


def test_train_is_deterministic(trained: Path, tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        [
            _record(k, s, p, u, 100 + 37 * k)
            for k, (s, p, u) in enumerate(zip(STEMS, PLACES, SCHOOLS, strict=True))
        ],
    )
    again = tmp_path / "again"
    subprocess.run(
        [*kg_command(), "train", str(gold), "--out", str(again), "--folds", "0", "-q"],
        check=True,
        timeout=600,
    )
    for p in trained.iterdir():
        assert (again / p.name).read_bytes() == p.read_bytes(), p.name


def test_build_with_model_finds_what_the_rules_miss(trained: Path, tmp_path: Path) -> None:
    text = "2024年，中国移动在宁夏启动沙枣逐梦帮扶营，联合宁夏大学为当地385名留守儿童提供课业辅导。"
    rules = _build(tmp_path, text, "none")
    learned = _build(tmp_path, text, str(trained))
    assert '"沙枣逐梦帮扶营"@zh-Hans' not in rules
    assert '"沙枣逐梦帮扶营"@zh-Hans' in learned


def test_build_with_a_missing_model_is_one_line_error(tmp_path: Path) -> None:
    doc = _write(tmp_path / "d.jsonl", [{"id": "d", "text": "中国移动开展公益活动。"}])
    proc = subprocess.run(
        [
            *kg_command(),
            "build",
            str(doc),
            "--out",
            str(tmp_path / "o"),
            "--model",
            str(tmp_path / "nothing"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0 and "[E600]" in proc.stderr and "kg train" in proc.stderr


def test_train_cross_validates_and_prints_the_table(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        [
            _record(k, s, p, u, 50 + k)
            for k, (s, p, u) in enumerate(zip(STEMS[:6], PLACES, SCHOOLS, strict=False))
        ],
    )
    proc = subprocess.run(
        [*kg_command(), "train", str(gold), "--out", str(tmp_path / "m"), "--folds", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Cross-validated (2 folds" in proc.stdout
    assert any(line.split()[:1] == ["entities"] for line in proc.stdout.splitlines())


def test_train_refuses_more_folds_than_passages(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.jsonl", [_record(0, STEMS[0], PLACES[0], SCHOOLS[0], 9)])
    proc = subprocess.run(
        [*kg_command(), "train", str(gold), "--out", str(tmp_path / "m"), "--folds", "5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "needs at least 5 passages" in proc.stderr
    assert not (tmp_path / "m").exists()


def test_explain_shows_candidates_and_scores(trained: Path, tmp_path: Path) -> None:
    doc = _write(
        tmp_path / "d.jsonl",
        [
            {
                "id": "d",
                "publisher": "中国移动",
                "year": 2024,
                "text": "中国移动在宁夏启动沙枣逐梦帮扶营，联合宁夏大学开展辅导。",
            }
        ],
    )
    proc = subprocess.run(
        [
            *kg_command(),
            "build",
            str(doc),
            "--out",
            str(tmp_path / "o"),
            "--no-html",
            "-q",
            "--model",
            str(trained),
            "--explain",
            "沙棗逐夢幫扶營",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "== d segment 0" in out and "【沙枣逐梦帮扶营】" in out
    assert "tagger: PROGRAM" in out and "span '沙枣逐梦帮扶营'" in out and "p=" in out
    assert "in the graph: PROGRAM 沙枣逐梦帮扶营" in out


def test_evaluate_counts_like_the_guidelines() -> None:
    from rdflib import RDF, RDFS, Graph, Literal, URIRef

    from kg.evaluate import score_graph
    from kg.vocab import KG

    rec = _record(0, STEMS[0], PLACES[0], SCHOOLS[0], 120)
    passage: GoldPassage = passage_from_record(rec)
    g = Graph()
    prog, place, junk = URIRef("urn:p"), URIRef("urn:g"), URIRef("urn:j")
    g.add((prog, RDF.type, KG.Program))
    g.add((prog, RDFS.label, Literal("晨曦护苗帮扶营", lang="zh-Hans")))
    g.add((place, RDF.type, KG.Place))
    g.add((place, RDFS.label, Literal("貴州", lang="zh-Hant")))
    g.add((junk, RDF.type, KG.Program))
    g.add((junk, RDFS.label, Literal("课业辅导", lang="zh-Hans")))
    g.add((prog, KG.implementedIn, place))
    scores = score_graph(g, [passage])
    assert (scores.entities["PROGRAM"].tp, scores.entities["PROGRAM"].fp) == (1, 1)
    assert scores.entities["PLACE"].tp == 1 and scores.entities["ORG"].fn == 2
    assert scores.relations["implementedIn"].tp == 1 and scores.relations["partner"].fn == 1


def test_documents_of_gold_are_documents() -> None:
    p = passage_from_record(_record(1, STEMS[1], PLACES[1], SCHOOLS[1], 10))
    assert isinstance(p.document, Document) and p.document.publisher == "中国移动" and p.document.year == 2023


def test_build_with_model_is_byte_identical_across_hash_seeds(trained: Path, tmp_path: Path) -> None:
    import os

    doc = _write(
        tmp_path / "d.jsonl",
        [
            _record(k, s, p, u, 10 + k)
            for k, (s, p, u) in enumerate(zip(STEMS[:4], PLACES[4:8], SCHOOLS[8:], strict=True))
        ],
    )
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [*kg_command(), "build", str(doc), "--out", str(out), "--no-html", "-q", "--model", str(trained)],
            check=True,
            env=env,
            timeout=300,
        )
        outs.append((out / "graph.ttl").read_bytes())
    assert outs[0] == outs[1]


def test_cache_is_keyed_on_the_model(trained: Path, tmp_path: Path) -> None:
    text = "2024年，中国移动在宁夏启动沙枣逐梦帮扶营，联合宁夏大学为当地385名留守儿童提供课业辅导。"
    doc = _write(tmp_path / "d.jsonl", [{"id": "new", "publisher": "中国移动", "year": 2024, "text": text}])
    cache = tmp_path / "cache"

    def build(model: str) -> bytes:
        out = tmp_path / f"o-{len(list(tmp_path.iterdir()))}"
        subprocess.run(
            [
                *kg_command(),
                "build",
                str(doc),
                "--out",
                str(out),
                "--no-html",
                "-q",
                "--cache",
                str(cache),
                "--model",
                model,
            ],
            check=True,
            timeout=300,
        )
        return (out / "graph.ttl").read_bytes()

    learned = build(str(trained))
    rules = build("none")  # same document, same cache folder: must not reuse the model's records
    assert learned != rules
    label = '"沙枣逐梦帮扶营"@zh-Hans'.encode()
    assert label in learned and label not in rules
    assert build(str(trained)) == learned


@pytest.mark.parametrize(
    "text",
    [
        "2023年，福建公司在安溪县开展“爱心行动”，联合基金会捐赠1,000万元。",
        "公司推出「和家亲」APP，并开展『青春伴我行』活动。",
    ],
)
def test_shipped_model_spans_hold_no_quote_without_its_partner(text: str) -> None:
    """A name the tagger cut next to a quote keeps neither a lone opening nor a lone closing quote."""
    from extractors import init_doc
    from extractors.names import CLOSE_QUOTES, OPEN_QUOTES
    from kg.pipeline import build_nlp

    nlp = build_nlp()
    doc = nlp.make_doc(text)
    init_doc(doc, {"publisher": "中国移动", "year": 2023, "doc_id": "q"})
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    for m in doc._.kg_mentions:
        opens = sum(m.surface.count(q) for q in OPEN_QUOTES)
        closes = sum(m.surface.count(q) for q in CLOSE_QUOTES)
        assert opens == closes, (m.surface, m.label)
