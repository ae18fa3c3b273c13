"""Tests of the place gazetteer built from cpca's code table."""


import pytest

from extractors.gazetteer import PlaceGazetteer, default_gazetteer


@pytest.fixture(scope="module")
def gaz() -> PlaceGazetteer:
    return default_gazetteer()


def _one(gaz: PlaceGazetteer, name: str):
    senses = gaz.lookup(name)
    assert len({e.key for e, _ in senses}) == 1, senses
    return senses[0]


@pytest.mark.parametrize(
    ("name", "canonical", "adcode", "level"),
    [
        ("福建省", "福建", "350000", "province"),
        ("新疆维吾尔自治区", "新疆", "650000", "province"),
        ("广西壮族自治区", "广西", "450000", "province"),
        ("内蒙古自治区", "内蒙古", "150000", "province"),
        ("宁夏回族自治区", "宁夏", "640000", "province"),
        ("西藏自治区", "西藏", "540000", "province"),
        ("北京市", "北京", "110000", "province"),
        ("香港特别行政区", "香港", "810000", "province"),
        ("泉州市", "泉州", "350500", "prefecture"),
        ("巴音郭楞蒙古自治州", "巴音郭楞蒙古自治州", "652800", "prefecture"),
        ("黔西南州", "黔西南布依族苗族自治州", "522300", "prefecture"),
        ("安溪县", "安溪县", "350524", "county"),
        ("积石山县", "积石山县", "622927", "county"),
        ("积石山保安族东乡族撒拉族自治县", "积石山县", "622927", "county"),
    ],
)
def test_gazetteer_full_and_short_forms(gaz, name, canonical, adcode, level):
    entry, form = _one(gaz, name)
    assert (entry.canonical, entry.adcode, entry.level, form) == (canonical, adcode, level, "full")


@pytest.mark.parametrize(("short", "canonical"), [("福建", "福建"), ("巴音郭楞", "巴音郭楞蒙古自治州"),
                                                  ("黔西南", "黔西南布依族苗族自治州"), ("安溪", "安溪县"),
                                                  ("积石山", "积石山县")])
def test_gazetteer_short_forms_are_aliases(gaz, short, canonical):
    entry, _ = _one(gaz, short)
    assert entry.canonical == canonical
    assert short in entry.names


def test_gazetteer_hierarchy(gaz):
    anxi, _ = _one(gaz, "安溪县")
    assert [a.canonical for a in gaz.ancestors(anxi)] == ["泉州", "福建", "中国"]
    luntai, _ = _one(gaz, "轮台县")
    assert [a.canonical for a in gaz.ancestors(luntai)][:2] == ["巴音郭楞蒙古自治州", "新疆"]


def test_gazetteer_municipal_districts_belong_to_municipality(gaz):
    senses = gaz.lookup("海淀区")
    assert gaz.parent(senses[0][0]).canonical == "北京"


def test_gazetteer_ambiguous_names_have_several_senses(gaz):
    assert len({e.key for e, _ in gaz.lookup("鼓楼区")}) >= 3
    assert len({e.key for e, _ in gaz.lookup("朝阳区")}) >= 2


def test_gazetteer_skips_placeholders_and_generic_districts(gaz):
    for word in ("市辖区", "县", "城区", "郊区"):
        assert gaz.lookup(word) == []


def test_gazetteer_countries(gaz):
    entry, _ = _one(gaz, "英国")
    assert entry.level == "country" and entry.iso == "GB"


def test_gazetteer_scan_longest_first(gaz):
    hits = gaz.scan("福建省泉州市")
    assert (hits[0].surface, hits[1].surface) == ("福建省", "福建")


def test_gazetteer_scan_handles_megabytes(gaz):
    # speed is measured in bench/, never asserted here; this pins that a 2 MB text scans completely
    text = "在福建省泉州市安溪县和新疆巴音郭楞蒙古自治州轮台县开展项目，覆盖全国农村地区。" * 50_000
    hits = gaz.scan(text[:2_000_000])
    assert len({h.surface for h in hits} & {"福建省", "安溪县", "轮台县"}) == 3
    assert hits[-1].end <= 2_000_000
