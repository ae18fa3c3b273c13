"""The ontology (ontology/kg.ttl), its shapes and the KG namespace agree and are sound."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from kg.vocab import KG, KGI, ontology_path, shapes_path

KG_NS = str(KG._NS)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QUDT = Namespace("http://qudt.org/schema/qudt/")

#: The terms of /work/shared/CONTRACT.md ("Ontology terms"): (local name, kind).
CONTRACT_TERMS = [
    ("Organization", OWL.Class),
    ("Subsidiary", OWL.Class),
    ("Place", OWL.Class),
    ("Program", OWL.Class),
    ("Platform", OWL.Class),
    ("Measurement", OWL.Class),
    ("subsidiaryOf", OWL.ObjectProperty),
    ("locatedIn", OWL.ObjectProperty),
    ("operatedBy", OWL.ObjectProperty),
    ("implementedIn", OWL.ObjectProperty),
    ("partner", OWL.ObjectProperty),
    ("partOf", OWL.ObjectProperty),
    ("subject", OWL.ObjectProperty),
    ("value", OWL.DatatypeProperty),
    ("unit", OWL.DatatypeProperty),
    ("year", OWL.DatatypeProperty),
    ("indicator", OWL.DatatypeProperty),
]

#: Terms the graph model of ontology/README.md uses beyond the contract.
MODEL_TERMS = [
    ("Document", OWL.Class),
    ("Mention", OWL.Class),
    ("Country", OWL.Class),
    ("ProvinceLevelDivision", OWL.Class),
    ("PrefectureLevelDivision", OWL.Class),
    ("CountyLevelDivision", OWL.Class),
    ("Township", OWL.Class),
    ("Village", OWL.Class),
    ("NaturalArea", OWL.Class),
    ("inDocument", OWL.ObjectProperty),
    ("publisher", OWL.ObjectProperty),
    ("startOffset", OWL.DatatypeProperty),
    ("endOffset", OWL.DatatypeProperty),
    ("anchorText", OWL.DatatypeProperty),
    ("sentence", OWL.DatatypeProperty),
    ("sentenceStart", OWL.DatatypeProperty),
    ("sentenceEnd", OWL.DatatypeProperty),
    ("sourceFile", OWL.DatatypeProperty),
    ("script", OWL.DatatypeProperty),
    ("kind", OWL.DatatypeProperty),
    ("adcode", OWL.DatatypeProperty),
    ("wikidata", OWL.DatatypeProperty),
]

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def _kg_subjects(graph: Graph) -> set[str]:
    return {
        str(s)[len(KG_NS) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(KG_NS)
    }


def test_ontology_files_are_installed_with_the_package():
    assert ontology_path().is_file()
    assert shapes_path().is_file()
    assert ontology_path().parent == shapes_path().parent


def test_ontology_parses_and_has_a_header(ontology):
    header = URIRef("https://w3id.org/initiative-kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/license")) is not None
    titles = {t.language for t in ontology.objects(header, URIRef("http://purl.org/dc/terms/title"))}
    assert {"zh-Hans", "en"} <= titles


@pytest.mark.parametrize(("name", "kind"), CONTRACT_TERMS + MODEL_TERMS, ids=lambda v: str(v).split("#")[-1])
def test_ontology_defines_term_with_labels(ontology, name, kind):
    term = KG._NS[name]
    assert (term, RDF.type, kind) in ontology
    languages = {label.language for label in ontology.objects(term, RDFS.label) if isinstance(label, Literal)}
    assert {"zh-Hans", "en"} <= languages
    described = list(ontology.objects(term, RDFS.comment)) + list(ontology.objects(term, SKOS.definition))
    assert described, f"kg:{name} has no rdfs:comment or skos:definition"


def test_every_kg_term_is_declared_once_with_labels(ontology):
    for name in sorted(_kg_subjects(ontology)):
        term = KG._NS[name]
        kinds = set(ontology.objects(term, RDF.type)) & DECLARATIONS
        assert len(kinds) == 1, f"kg:{name} declared as {kinds}"
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh-Hans", "en"} <= languages, f"kg:{name} lacks zh-Hans/en labels"


def test_no_iri_is_punned_between_declaration_kinds(ontology):
    for node in set(ontology.subjects(RDF.type, None)):
        kinds = set(ontology.objects(node, RDF.type)) & DECLARATIONS
        assert len(kinds) <= 1, f"{node} declared as {kinds}"


def test_external_terms_used_in_axioms_are_declared(ontology):
    axioms = [RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range]
    builtin = (str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")
    for axiom in axioms:
        for term in ontology.objects(None, axiom):
            if isinstance(term, URIRef) and not str(term).startswith(builtin):
                declared = set(ontology.objects(term, RDF.type)) & DECLARATIONS
                assert declared, f"{term} is used in {axiom} but not declared"
    for predicate in set(ontology.predicates()):
        if not str(predicate).startswith(builtin) and predicate not in (SKOS.definition,):
            assert set(ontology.objects(predicate, RDF.type)) & DECLARATIONS, f"{predicate} undeclared"


def test_vocab_and_ontology_agree_both_ways(ontology):
    in_turtle = _kg_subjects(ontology)
    in_vocab = set(KG.__annotations__)
    assert in_turtle - in_vocab == set(), "terms in kg.ttl missing from kg.vocab.KG"
    assert in_vocab - in_turtle == set(), "terms in kg.vocab.KG missing from kg.ttl"


def test_vocab_rejects_unknown_terms():
    assert KG.operatedBy == URIRef(KG_NS + "operatedBy")
    with pytest.raises(AttributeError):
        _ = KG.operatedby
    with pytest.raises(AttributeError):
        _ = KG["Initiative"]


def test_vocab_instance_namespace():
    assert KGI["program/x"] == URIRef("https://w3id.org/initiative-kg/id/program/x")


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"),
    [
        (KG.Organization, RDFS.subClassOf, ORG.Organization),
        (KG.Organization, RDFS.subClassOf, SCHEMA.Organization),
        (KG.Subsidiary, RDFS.subClassOf, KG.Organization),
        (KG.subsidiaryOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (KG.Place, RDFS.subClassOf, SCHEMA.Place),
        (KG.ProvinceLevelDivision, RDFS.subClassOf, KG.Place),
        (KG.NaturalArea, RDFS.subClassOf, KG.Place),
        (KG.locatedIn, RDFS.subPropertyOf, SCHEMA.containedInPlace),
        (KG.Program, RDFS.subClassOf, SCHEMA.Project),
        (KG.Platform, RDFS.subClassOf, SCHEMA.Product),
        (KG.Document, RDFS.subClassOf, PROV.Entity),
        (KG.Document, RDFS.subClassOf, FOAF.Document),
        (KG.Mention, RDFS.subClassOf, PROV.Entity),
        (KG.inDocument, RDFS.subPropertyOf, PROV.hadPrimarySource),
        (KG.value, RDFS.subPropertyOf, QUDT.numericValue),
        (KG.Measurement, RDFS.subClassOf, QUDT.QuantityValue),
        (PROV.wasDerivedFrom, RDF.type, OWL.ObjectProperty),
        (KG.locatedIn, RDF.type, OWL.TransitiveProperty),
        (KG.subsidiaryOf, RDF.type, OWL.TransitiveProperty),
        (KG.partOf, RDF.type, OWL.TransitiveProperty),
        (KG.year, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
        (KG.value, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
    ],
    ids=lambda v: str(v).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
)
def test_ontology_states_alignment(ontology, subject, predicate, obj):
    assert (subject, predicate, obj) in ontology


def test_year_has_no_narrow_domain(ontology):
    assert ontology.value(KG.year, RDFS.domain) is None


@pytest.mark.parametrize(
    ("prop", "members"),
    [
        (KG.locatedIn, {KG.Organization, KG.Platform, KG.Place}),
        (KG.operatedBy, {KG.Program, KG.Platform}),
        (KG.implementedIn, {KG.Program, KG.Platform}),
        (KG.partner, {KG.Program, KG.Platform}),
        (KG.partOf, {KG.Program, KG.Platform}),
    ],
    ids=lambda v: str(v).rsplit("#", 1)[-1] if isinstance(v, URIRef) else "union",
)
def test_relation_domain_is_a_union(ontology, prop, members):
    domain = ontology.value(prop, RDFS.domain)
    union = ontology.value(domain, OWL.unionOf)
    assert set(ontology.items(union)) == members


def test_every_class_is_reached_by_a_shape(ontology, shapes):
    targeted = set(shapes.objects(None, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not str(cls).startswith(KG_NS):
            continue
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert supers & targeted, f"no shape targets {cls} or a superclass of it"


def test_shapes_use_only_defined_kg_terms(ontology, shapes):
    defined = _kg_subjects(ontology)
    used = {
        str(t)[len(KG_NS) :]
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(KG_NS)
    }
    assert used <= defined


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (apt package raptor2-utils) not installed")
@pytest.mark.parametrize("which", ["kg.ttl", "shapes.ttl"])
def test_rapper_accepts_turtle(which):
    path = ontology_path().parent / which
    done = subprocess.run(
        ["rapper", "--input", "turtle", "--count", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower() and "warning" not in done.stderr.lower(), done.stderr


def _ntriples(tmp_path: Path) -> Path:
    path = tmp_path / "kg.nt"
    Graph().parse(ontology_path(), format="turtle").serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.mark.skipif(shutil.which("java") is None, reason="java not installed (HermiT needs it)")
def test_hermit_finds_ontology_consistent(tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    world.get_ontology(_ntriples(tmp_path).as_uri()).load()
    # xsd:gYear is outside the OWL 2 datatype map, so HermiT must be told to ignore it.
    owlready2.sync_reasoner_hermit(
        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
    )
    assert list(world.inconsistent_classes()) == []


DL_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class DLCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        OWLOntology o = m.loadOntologyFromOntologyDocument(new File(args[0]));
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations()) {
            System.out.println("VIOLATION " + v.toString().replace('\\n', ' '));
        }
        System.out.println("CHECKED " + o.getAxiomCount());
    }
}
"""


@pytest.mark.skipif(shutil.which("javac") is None, reason="a JDK is needed to run the OWL API profile check")
def test_ontology_is_in_the_owl2_dl_profile(tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"  # bundles the OWL API
    source = tmp_path / "DLCheck.java"
    source.write_text(DL_CHECK, encoding="utf-8")
    done = subprocess.run(
        ["java", "-cp", str(jar), str(source), str(_ntriples(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "CHECKED" in done.stdout, done.stderr[-2000:]
    violations = [line for line in done.stdout.splitlines() if line.startswith("VIOLATION")]
    assert violations == []


def test_readme_sparql_examples_run_on_the_fixture():
    readme = (ontology_path().parent / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sparql\n(.*?)```", readme, re.S)
    assert queries
    data = Graph().parse(Path(__file__).parent / "fixtures" / "ontology_valid.ttl", format="turtle")
    for query in queries:
        data.query(query)  # raises on a malformed query
