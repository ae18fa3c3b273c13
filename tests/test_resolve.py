"""Entity resolution: one node per real thing, type conflicts, merges."""

from __future__ import annotations

import os

import pytest
from rdflib import RDF

from kg.extract import DocumentExtraction, EntityRecord, Evidence, MeasurementRecord, RelationRecord
from kg.model import Document
from kg.resolve import MAX_EVIDENCE, Resolver, first_evidence, resolve
from kg.spool import Spool


def _ev(doc_id: str = "d", start: int = 0) -> Evidence:
    return Evidence(doc_id, start, start + 2, 0, 10, "xx", "sentence")


def _rec(
    label: str,
    canonical: str,
    surface: str | None = None,
    aliases=(),
    original: str = "",
    implicit=False,
    start=0,
):
    return EntityRecord(
        label,
        canonical,
        surface or canonical,
        original or surface or canonical,
        tuple(aliases),
        {},
        implicit,
        _ev(start=start),
    )


def _x(*records, relations=(), measurements=()) -> DocumentExtraction:
    return DocumentExtraction(
        Document(id="d", text="x" * 100), list(records), list(relations), list(measurements)
    )


def test_resolve_merges_mentions_of_one_canonical_name():
    corpus = resolve(
        [
            _x(
                _rec("SUBSIDIARY", "中国移动福建公司", "福建公司"),
                _rec("SUBSIDIARY", "中国移动福建公司", "福建移动"),
            )
        ]
    )
    ent = corpus.entities[("SUBSIDIARY", "中国移动福建公司")]
    assert {"福建公司", "福建移动"} <= ent.aliases
    assert len(corpus.entities) == 1


def test_resolve_keeps_traditional_surface_forms():
    corpus = resolve([_x(_rec("PLATFORM", "联通云", "联通云", original="聯通雲"))])
    assert corpus.entities[("PLATFORM", "联通云")].hant == {"聯通雲"}


def test_resolve_program_platform_conflict_takes_majority_type():
    corpus = resolve(
        [
            _x(
                _rec("PLATFORM", "智慧家庭"),
                _rec("PLATFORM", "智慧家庭", start=5),
                _rec("PROGRAM", "智慧家庭", start=9),
            )
        ]
    )
    assert set(corpus.entities) == {("PLATFORM", "智慧家庭")}


def test_resolve_org_and_subsidiary_of_one_name_become_subsidiary():
    corpus = resolve([_x(_rec("ORG", "中国移动研究院"), _rec("SUBSIDIARY", "中国移动研究院", start=4))])
    assert set(corpus.entities) == {("SUBSIDIARY", "中国移动研究院")}


def test_resolve_merges_on_a_strong_alias():
    corpus = resolve(
        [
            _x(
                _rec("PROGRAM", "蓝色梦想校长培训项目", aliases=["蓝色梦想校长培训"]),
                _rec("PROGRAM", "蓝色梦想校长培训", start=5),
            )
        ]
    )
    assert set(corpus.entities) == {("PROGRAM", "蓝色梦想校长培训项目")}


def test_resolve_refuses_merge_on_an_alias_shared_by_two_entities():
    corpus = resolve(
        [
            _x(
                _rec("SUBSIDIARY", "中国移动研究院", aliases=["研究院"]),
                _rec("SUBSIDIARY", "中国联通研究院", aliases=["研究院"], start=4),
                _rec("SUBSIDIARY", "研究院", start=8),
            )
        ]
    )
    assert ("SUBSIDIARY", "研究院") in corpus.entities
    assert any("研究院" in (name, other) for name, other, _ in corpus.refused_merges)


def test_resolve_implicit_publisher_reference_is_not_an_alias():
    corpus = resolve([_x(_rec("ORG", "中国移动", "我们", implicit=True), _rec("ORG", "中国移动", start=3))])
    assert "我们" not in corpus.entities[("ORG", "中国移动")].aliases


def test_resolve_rewrites_relations_and_measurements_to_surviving_keys():
    rel = RelationRecord(("PROGRAM", "智慧家庭"), "operatedBy", ("ORG", "中国移动"), "actor", _ev())
    m = MeasurementRecord(("PROGRAM", "智慧家庭"), "5", "个", 2023, "x", _ev())
    corpus = resolve(
        [
            _x(
                _rec("PLATFORM", "智慧家庭"),
                _rec("PLATFORM", "智慧家庭", start=3),
                _rec("PROGRAM", "智慧家庭", start=6),
                _rec("ORG", "中国移动", start=9),
                relations=[rel],
                measurements=[m],
            )
        ]
    )
    assert (("PLATFORM", "智慧家庭"), "operatedBy", ("ORG", "中国移动")) in corpus.relations
    assert list(corpus.measurements)[0].subject == ("PLATFORM", "智慧家庭")


def test_resolve_drops_relations_to_unknown_or_same_entities():
    rel = RelationRecord(("PROGRAM", "甲计划"), "partOf", ("PROGRAM", "甲计划"), "x", _ev())
    ghost = RelationRecord(("PROGRAM", "甲计划"), "partner", ("ORG", "不存在"), "x", _ev())
    corpus = resolve([_x(_rec("PROGRAM", "甲计划"), relations=[rel, ghost])])
    assert corpus.relations == {}


def test_resolve_two_names_that_are_each_others_alias_terminate():
    # regression: 甲 lists 乙 as an alias and 乙 lists 甲; resolution looped forever
    corpus = resolve(
        [
            _x(
                _rec("PROGRAM", "甲乙丙丁计划", aliases=["甲乙丙丁行动"]),
                _rec("PROGRAM", "甲乙丙丁行动", aliases=["甲乙丙丁计划"], start=5),
            )
        ]
    )
    assert len(corpus.entities) in (1, 2)
    names = {n for e in corpus.entities.values() for n in (e.canonical, *e.aliases)}
    assert {"甲乙丙丁计划", "甲乙丙丁行动"} <= names


def test_resolve_settles_type_conflicts_only_within_a_group():
    # an ORG/SUBSIDIARY name that is also a PROGRAM name: the program stays a program
    corpus = resolve(
        [
            _x(
                _rec("ORG", "数字乡村"),
                _rec("SUBSIDIARY", "数字乡村", start=3),
                _rec("PROGRAM", "数字乡村", start=6),
            )
        ]
    )
    assert set(corpus.entities) == {("SUBSIDIARY", "数字乡村"), ("PROGRAM", "数字乡村")}


def test_resolver_keeps_the_first_evidence_and_bounded_memory():
    resolver = Resolver()
    for doc in range(30):  # the same name read 150 times, in documents given out of order
        resolver.add(_x(*[_rec("PROGRAM", "爱心行动", start=s) for s in range(5)]))
        resolver.add(
            DocumentExtraction(
                Document(id=f"d{29 - doc:02d}", text="x" * 10),
                [
                    EntityRecord(
                        "PROGRAM", "爱心行动", "爱心行动", "", (), {}, False, _ev(f"d{29 - doc:02d}", 1)
                    )
                ],
            )
        )
        assert all(len(acc.evidence) <= 2 * MAX_EVIDENCE for acc in resolver._names.values())
    evidence = resolver.result().entities[("PROGRAM", "爱心行动")].evidence
    assert evidence == first_evidence(
        [_ev(start=s) for s in range(5)] + [_ev(f"d{i:02d}", 1) for i in range(30)]
    )
    assert len(evidence) == MAX_EVIDENCE and evidence[0] == _ev("d", 0)


def test_resolver_reads_measurements_back_from_a_spool_after_merges():
    m = MeasurementRecord(("PROGRAM", "蓝色梦想校长培训"), "5", "期", 2023, "培训", _ev())
    with Spool() as spool:
        corpus = resolve(
            [
                _x(_rec("PROGRAM", "蓝色梦想校长培训项目", aliases=["蓝色梦想校长培训"])),
                _x(_rec("PROGRAM", "蓝色梦想校长培训", start=5), measurements=[m]),
            ],
            spool,
        )
        assert len(spool) == 1
        for _ in range(2):  # iterable more than once
            assert [x.subject for x in corpus.measurements] == [("PROGRAM", "蓝色梦想校长培训项目")]


def test_spool_returns_batches_in_order_even_when_appended_while_reading():
    with Spool() as spool:
        spool.append([1, 2])
        spool.append("two")
        seen = []
        for batch in spool:
            seen.append(batch)
            if len(spool) < 3:
                spool.append({"three": 3})
        assert seen == [[1, 2], "two", {"three": 3}]
        assert list(spool) == seen


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_spool_is_read_by_a_forked_process_while_the_parent_reads_it():
    """``kg build`` writes the HTML in a forked child that reads the spool beside the parent."""
    batches = [list(range(k, k + 200)) for k in range(300)]
    with Spool() as spool:
        for b in batches:
            spool.append(b)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: read it all while the parent does too
            ok = list(spool) == batches
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
        os.close(write)
        mine = [list(spool) for _ in range(3)]
        os.waitpid(pid, 0)
        assert os.read(read, 1) == b"1"
        assert all(m == batches for m in mine)


def test_view_index_holds_the_figures_only_up_to_its_bound():
    """``kg build`` charts figures in graph.html while there are at most HTML_MEASUREMENTS of them."""
    from kg.assemble import GraphAssembler
    from kg.vocab import KG

    figures = [
        MeasurementRecord(("PROGRAM", "爱心行动"), str(v), "个", 2023, "x", _ev(start=v)) for v in (3, 5, 7)
    ]
    with Spool() as spool:
        corpus = resolve([_x(_rec("PROGRAM", "爱心行动"), measurements=figures)], spool)
        assembler = GraphAssembler().assemble(corpus, [])
        full = assembler.index(measurements=True)
        core = assembler.index(measurements=False)
        at_bound, past_bound = assembler.view_index(3), assembler.view_index(2)
    assert len(list(at_bound.subjects(RDF.type, KG.Measurement))) == 3
    assert len(at_bound) == len(full) > len(core) == len(past_bound)
    assert list(past_bound.subjects(RDF.type, KG.Measurement)) == []
