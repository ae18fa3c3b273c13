"""The trained entity decision: which scored spans stay, and which spans are candidates."""

from __future__ import annotations

from extractors.entities.candidates import SpanCandidate, span_candidates
from extractors.entities.decision import EntityDecider, ScoredSpan
from extractors.linear import LinearModel

TYPES = ("ORG", "SUBSIDIARY", "PLACE", "PROGRAM", "PLATFORM")


def _decider() -> EntityDecider:
    decider = EntityDecider(None)
    decider.span_models = {t: LinearModel(threshold=0.4) for t in TYPES}
    return decider


def _scored(text: str, name: str, label: str, p: float) -> ScoredSpan:
    start = text.index(name)
    return ScoredSpan(SpanCandidate(start, start + len(name), {"crf"}), [], {label: p})


def _kept(text: str, *spans: ScoredSpan) -> list[tuple[str, str]]:
    return [(m.label, text[m.start : m.end]) for m in _decider().select(text, list(spans), [])]


def test_company_in_a_platform_name_is_kept_with_the_platform() -> None:
    # GUIDELINES: only a place word inside a platform's name is not an entity; the company is
    text = "星河科技数据链已接入多家银行。"
    platform = _scored(text, "星河科技数据链", "PLATFORM", 0.7)
    kept = _kept(text, platform, _scored(text, "星河科技", "ORG", 0.9))
    assert kept == [("PLATFORM", "星河科技数据链"), ("ORG", "星河科技")]


def test_place_in_a_platform_name_and_crossing_spans_still_drop() -> None:
    # spans are taken by falling score: the platform first, then what it allows beside it
    text = "福建政务云已接入多家银行。"
    kept = _kept(
        text,
        _scored(text, "福建政务云", "PLATFORM", 0.9),
        _scored(text, "福建", "PLACE", 0.7),
        _scored(text, "政务云已", "PLATFORM", 0.5),
    )
    assert kept == [("PLATFORM", "福建政务云")]


def test_spans_below_their_threshold_drop() -> None:
    text = "星河科技数据链已接入多家银行。"
    assert _kept(text, _scored(text, "星河科技数据链", "PLATFORM", 0.3)) == []


def test_abbreviated_names_are_span_candidates() -> None:
    """jieba tags 中石化 and 奥委会 ``j`` (abbreviation): the span models see them as candidates."""
    text = "中石化与奥委会合作。"
    tokens = [(0, 3), (3, 4), (4, 7), (7, 9), (9, 10)]
    found = {(c.start, c.end): c.sources for c in span_candidates(text, tokens, [], [])}
    assert "jieba" in found[(0, 3)] and "jieba" in found[(4, 7)]
    assert (7, 9) not in found  # 合作 is a verb
