"""Tests for kg.news: splitting run-together news collections into articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.news import Article, looks_like_collection, split_articles

CORPUS = Path(__file__).resolve().parents[1] / "kg" / "data" / "corpus"


@pytest.fixture(scope="module")
def collection() -> str:
    (path,) = CORPUS.glob("002_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def articles(collection) -> list[Article]:
    return split_articles(collection)


def test_news_collection_yields_many_articles(articles):
    assert len(articles) >= 30


def test_news_articles_cover_text_in_order(collection, articles):
    assert articles[0].start == 0
    assert articles[-1].end == len(collection)
    for a, b in zip(articles, articles[1:], strict=False):
        assert a.start < a.end == b.start


def test_news_articles_have_sensible_titles(articles):
    titles = [a.title for a in articles]
    assert all(titles), [a.start for a in articles if not a.title]
    assert all(len(t) <= 60 and "###" not in t for t in titles)
    expected = [
        "南方暴雨来袭中国联通全力保障通信网络畅通",
        "中国联通：奋楫数字航道建设网络强国",
        "联通数科位居数字政府一体化大数据平台领导者象限",
        "中国联合网络通信股份有限公司2022年第三季度报告",
        "云计算白皮书(2024年)",
    ]
    for title in expected:
        assert title in titles
    assert titles[0].startswith("【新征程上的铺路人、赋能者、护航员】系列报道之二十二")


def test_news_articles_dates_from_bylines(collection, articles):
    by_title = {a.title: a for a in articles}
    flood = by_title["南方暴雨来袭中国联通全力保障通信网络畅通"]
    assert flood.date == "2024-06-19" and flood.year == 2024
    assert collection[flood.start : flood.end].startswith("南方暴雨来袭")
    assert by_title["云计算白皮书(2024年)"].date == "2024-07"
    assert sum(1 for a in articles if a.date) >= 15


@pytest.mark.parametrize(
    ("text", "title", "date"),
    [
        (
            "奠定了坚实的思想基础。南方暴雨来袭中国联通全力保障通信网络畅通"
            "文章来源：中国联合网络通信集团有限公司发布时间：2024-06-19近期，我国南方大部降雨不断。",
            "南方暴雨来袭中国联通全力保障通信网络畅通",
            "2024-06-19",
        ),
        (
            "注入了强大的动力。以高质量发展铸造更畅通的“信息丝绸之路”中国联通四大举措服务“一带一路”建设"
            "发布时间：2019-04-26发布人：集团公司办公厅“一带一路”倡议实施5年以来。",
            "以高质量发展铸造更畅通的“信息丝绸之路”中国联通四大举措服务“一带一路”建设",
            "2019-04-26",
        ),
        (
            "强大助推作用。联通“世界第一大市场”的数智转型之路发布人：新闻宣传中心当前，备受瞩目的体育盛会正在进行。",
            "联通“世界第一大市场”的数智转型之路",
            None,
        ),
        (
            "更彰显了其在数字化转型中的作用。联通数科位居数字政府一体化大数据平台领导者象限"
            "近日，全球领先的IT市场研究和咨询公司IDC发布了报告。",
            "联通数科位居数字政府一体化大数据平台领导者象限",
            None,
        ),
        (
            "央企责任担当。（叶曜坤杨扬）【“大联接织就智慧社区”】系列宣传之一：搭建“隐形护卫队”。"
            + "正文。" * 10,
            "【“大联接织就智慧社区”】系列宣传之一：搭建“隐形护卫队”",
            None,
        ),
        (
            "在抗汛情、保畅通中贡献联通力量。中国联通发布经济社会智能孪生系统服务经济治理效能提升"
            "7月20日，2024中国联通合作伙伴大会人工智能赋能数据要素论坛在上海世博中心举办。",
            "中国联通发布经济社会智能孪生系统服务经济治理效能提升",
            "2024-07-20",
        ),
        (
            "共同为脱贫地区的经济发展和社会进步贡献力量。中国联通大批科技成果亮相2024世界智能产业博览会"
            "6月20日，世界智能产业博览会在天津正式开幕。",
            "中国联通大批科技成果亮相2024世界智能产业博览会",
            "2024-06-20",
        ),
        (
            "书写了一幕幕生动鲜活的为民服务新篇章。【联通史“话”】——何非常：联合起来办大事参与并见证中国联通的创立（一）"
            "###联通的创立与发展：从酝酿到辉煌的历程在###电信业的浩瀚星空中，###联通的创立无疑是一颗璀璨的星辰。",
            "【联通史“话”】——何非常：联合起来办大事参与并见证中国联通的创立（一）",
            None,
        ),
        (
            "的央企责任担当。（叶曜坤杨扬李玥郭佳李跇）【“大联接织就智慧社区”】系列宣传之一：搭建“隐形护卫队”"
            "畅享千兆品质生活中国联通打造智慧社区江西样板编者按：《2022年国务院政府工作报告》中明确提出，要推进5G规模化应用。",
            "【“大联接织就智慧社区”】系列宣传之一：搭建“隐形护卫队”畅享千兆品质生活中国联通打造智慧社区江西样板",
            None,
        ),
    ],
)
def test_news_split_excerpts(text, title, date):
    arts = split_articles(text)
    assert len(arts) == 2
    second = arts[1]
    assert second.title == title
    assert second.date == date
    assert text[second.start :].startswith(title.replace("###", "")[:6])


def test_news_subheading_is_not_an_article():
    text = "持续提升服务质量。市场影响与前景展望联通数科在IDC报告中的优异表现，不仅提升了知名度。"
    assert len(split_articles(text)) == 1


def test_news_plain_text_is_one_article():
    text = "中国联通推动乡村振兴。" * 10
    assert split_articles(text) == [Article(0, len(text), None, None)]


def test_news_empty_text():
    assert split_articles("") == []


def test_news_looks_like_collection(collection):
    assert looks_like_collection(collection)
    assert not looks_like_collection("短文。\n" * 1000)
