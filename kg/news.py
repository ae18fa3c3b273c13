"""Splitting run-together news collections into articles.

A scraped news collection (the bundled ``002`` file) is one long line of
articles with no separators. What marks an article start is what the pages
left behind: ``【专栏】`` headers, ``文章来源：… 发布时间：2024-06-19`` and
``发布人：…`` bylines after a headline, the copyright page of a white paper
(``…白皮书(2023年)版权声明``), the heading of a listed company's report
(``证券代码：600050``), and signature dates that end an announcement
(``董事会2022年10月28日``). Finding them is a pure function of the text so
that it can be tested on excerpts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.textunits import CLOSERS, FULL_STOPS, HAN, HAN_RE, SENTENCE_END

# Characters that end a sentence (a headline starts after one): closers too, see _headline_start.
_SENT_END = SENTENCE_END + "…" + CLOSERS
_TITLE_MAX = 60


@dataclass(frozen=True)
class Article:
    """One article of a news collection.

    Attributes:
        start: Start offset in the collection text.
        end: End offset (exclusive).
        title: Headline where the text gives one.
        date: Publication date ``YYYY-MM-DD`` (or ``YYYY-MM``) where given.
    """

    start: int
    end: int
    title: str | None = None
    date: str | None = None

    @property
    def year(self) -> int | None:
        """Year of :attr:`date`, if any."""
        return int(self.date[:4]) if self.date else None


# A byline after a headline: 文章来源：求是网发布时间：2024-07-26 / 发布时间：…发布人：…
_BYLINE_RE = re.compile(
    r"(?:文章来源[:：](?P<src>[^：:。]{1,30}?))?"
    r"(?:发布时间[:：]\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)"
    rf"(?:发布人[:：](?P<by>[{HAN}]{{1,12}}?(?:办公厅|中心|部|处|室|公司)))?"
    rf"|发布人[:：](?P<by2>[{HAN}]{{1,12}}?(?:办公厅|中心|部|处|室|公司))"
)
# 【专栏名】 header at an article start.
_BRACKET_RE = re.compile(r"【[^【】]{1,40}】")
# White paper cover: (No.202323)? 中国信息通信研究院2023年12月XX白皮书(2023年)No.x 版权声明
_COPYRIGHT_RE = re.compile(r"版权声明")
_WEBSITE_END_RE = re.compile(r"网址[:：]\s*www\.[a-z0-9.]+\.(?:cn|com|org)")
# A listed company's periodic report.
_STOCK_RE = re.compile(rf"证券代码[:：]\s*\d{{6}}\s*证券简称[:：]\s*[{HAN}]{{2,8}}")
_REPORT_HEADER_RE = re.compile(
    rf"(?!日)(?P<title>[{HAN}（）()]{{4,30}}?\d{{4}}年(?:第[一二三四]季度|半年度|年度)报告)(?:\d+/\d+)?(?=证券代码)"
)
# An announcement signs off: 特此公告。XX董事会2022年10月28日
_SIGNOFF_RE = re.compile(
    rf"特此公告。[{HAN}（）()]{{2,40}}?董事会(?P<y>\d{{4}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"
)
# A headline run into the lead of a news story: "…。联通数科位居…领导者象限近日，全球领先…".
_LEAD_RE = re.compile(
    r"(?<=[。！？”）)])(?P<head>[^，。！？；,;]{8,60}?)"
    r"(?=(?:近日|日前|近期|(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日|\d{1,2}月\d{1,2}日)[，,])"
)
_NOT_HEADLINE_RE = re.compile(r"截至|^[（(]?[\d一二三四五六七八九十]{1,3}[)）.、]|[年月\d]$|/\d+$|^特别是")
_CREDIT_RE = re.compile(r"^[（(][^）)]{1,40}[）)]")
_MONTH_DAY_RE = re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
# A year in a headline or lead: 2024年, 2024世界智能产业博览会, 2024MWC (not 12024).
_YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# Where a run-on headline's subtitle or first section begins.
_SUBTITLE_RE = re.compile(r"编者按|#{2,}")
_SECTION_RE = re.compile(r"[（(]一[)）]|(?<![统唯单同专])一、")
_CN_DATE_RE = re.compile(r"(?P<y>20\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")


class _Starts(dict):
    """Article start offset -> (title, date), each filled by the first marker that knows it."""

    def add(self, pos: int, title: str | None, date: str | None) -> None:
        old = self.get(pos)
        if old is None or (old[0] is None and title) or (old[1] is None and date):
            self[pos] = (title or (old[0] if old else None), date or (old[1] if old else None))


def _headed_starts(text: str, starts: _Starts) -> None:
    """Starts marked by a 【专栏】 header, a byline after a headline, or a headline run into a lead."""
    for m in _BRACKET_RE.finditer(text):
        if m.start() == 0 or text[m.start() - 1] in _SENT_END or _after_sign_off(text, m.start()):
            starts.add(m.start(), _headline_from(text, m.start()), None)
    for m in _BYLINE_RE.finditer(text):
        hstart = _headline_start(text, m.start())
        title = _clean_title(text[hstart : m.start()])
        date = m.group("date")
        starts.add(hstart, title or None, _iso(date) if date else None)
    for m in _LEAD_RE.finditer(text):
        head = m.group("head")
        # An author credit closing the previous story: （作者：…）headline
        credit = _CREDIT_RE.match(head)
        hstart = m.start() + (credit.end() if credit else 0)
        head = _clean_title(text[hstart : m.end()])
        if len(HAN_RE.findall(head)) < 6 or _NOT_HEADLINE_RE.search(head):
            continue
        if m.group("y"):
            date = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        else:
            date = _lead_date(head, text[m.end() : m.end() + 40])
        starts.add(hstart, head, date)


def _document_starts(text: str, starts: _Starts) -> None:
    """Starts after a web page's end, at a white paper's cover, a listed company's report, a sign-off."""
    for m in _WEBSITE_END_RE.finditer(text):
        if m.end() < len(text):
            starts.add(m.end(), None, None)
    for m in _COPYRIGHT_RE.finditer(text):
        # The cover is the text since the previous article boundary.
        prev = max((p for p in starts if p < m.start()), default=0)
        if m.start() - prev <= 120:
            cover = text[prev : m.start()]
            dm = _CN_DATE_RE.search(cover)
            date = f"{dm.group('y')}-{int(dm.group('m')):02d}" if dm else None
            starts.add(prev, _cover_title(cover), date)
    for m in _STOCK_RE.finditer(text):
        # The page header before the stock code repeats the report title:
        # 中国联合网络通信股份有限公司2022年第三季度报告1/16证券代码：…
        hm = _REPORT_HEADER_RE.search(text, max(0, m.start() - 80), m.end())
        if hm:
            starts.add(hm.start(), _clean_title(hm.group("title")), None)
        else:
            starts.add(_headline_start(text, m.start(), limit=80), None, None)
    for m in _SIGNOFF_RE.finditer(text):
        if m.end() < len(text):
            starts.add(m.end(), None, None)


def split_articles(text: str) -> list[Article]:
    """Split a run-together news collection into articles.

    Args:
        text: The collection text (original, not prepared).

    Returns:
        Articles covering ``text`` from start to end, in order, without
        overlap. Text before the first recognised start is an article of its
        own (untitled unless a title is found).
    """
    starts = _Starts({0: (None, None)})
    _headed_starts(text, starts)
    _document_starts(text, starts)
    positions = sorted(starts)
    articles = []
    for i, pos in enumerate(positions):
        end = positions[i + 1] if i + 1 < len(positions) else len(text)
        if end <= pos:
            continue
        title, date = starts[pos]
        body = text[pos:end]
        if date is None:
            sm = _SIGNOFF_RE.search(body)
            if sm:
                date = f"{sm.group('y')}-{int(sm.group('m')):02d}-{int(sm.group('d')):02d}"
        if title is None:
            title = _headline_from(text, pos) if i > 0 else None
        articles.append(Article(pos, end, title, date))
    return _merge_tiny(articles)


def _merge_tiny(articles: list[Article], min_chars: int = 40) -> list[Article]:
    """Fold fragments shorter than ``min_chars`` (a signature, a page number) into the article before."""
    out: list[Article] = []
    for art in articles:
        if out and art.end - art.start < min_chars:
            prev = out[-1]
            out[-1] = Article(prev.start, art.end, prev.title, prev.date or art.date)
        else:
            out.append(art)
    return out


def _after_sign_off(text: str, pos: int) -> bool:
    return bool(re.search(r"[)）]$", text[max(0, pos - 1) : pos]))


def _headline_start(text: str, pos: int, limit: int = _TITLE_MAX) -> int:
    """Start of the headline that ends at ``pos``: just after the previous sentence end."""
    lo = max(0, pos - limit)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in _SENT_END:
            # Closing quotes belong to the previous sentence only after an end mark.
            if text[i] in CLOSERS and i > 0 and text[i - 1] not in FULL_STOPS:
                continue
            return i + 1
    return lo


def _headline_from(text: str, pos: int) -> str | None:
    """Headline at the start of an article: up to the first sentence break."""
    window = text[pos : pos + 120]
    m = re.search(r"[。！？!?]|(?<=[^\d])20\d{2}年(?:\d{1,2}月|[，,])", window)
    head = window[: m.start()] if m else window
    # A headline runs into its subtitle or the first section of the story.
    sub = _SUBTITLE_RE.search(head, 6) or _SECTION_RE.search(head, 6)
    if sub:
        head = head[: sub.start()]
    # A headline rarely runs past a comma-separated clause.
    if len(head) > _TITLE_MAX:
        head = re.split(r"[，,；;]", head)[0]
    return _clean_title(head[:_TITLE_MAX]) or None


def _lead_date(head: str, lead: str) -> str | None:
    """Date of a lead that gives only month and day (``7月20日，``), the year
    taken from the headline or the lead's first words (``…亮相2024世界智能产业博览会``).

    Args:
        head: The headline before the lead.
        lead: The start of the lead, from its date on.

    Returns:
        ``YYYY-MM-DD``, or None when the month and day or the year are missing.
    """
    md = _MONTH_DAY_RE.match(lead)
    if not md:
        return None
    ym = _YEAR_RE.search(head) or _YEAR_RE.search(lead, md.end())
    if not ym:
        return None
    return f"{ym.group(1)}-{int(md.group('m')):02d}-{int(md.group('d')):02d}"


def _cover_title(cover: str) -> str | None:
    cover = re.sub(r"No\.\s*\d+", "", cover)
    cover = re.sub(r"^[`\s]*", "", cover)
    m = re.search(r"([^\d年月]{2,40}?(?:白皮书|报告|研究)[^\d]{0,30}?(?:[（(]\d{4}年[)）])?)$", cover)
    return _clean_title(m.group(1) if m else cover)


def _clean_title(title: str) -> str:
    title = title.replace("###", "").strip(" \t\u3000`")
    # A page number left in front of a heading: "1中国联合网络通信股份有限公司…"
    title = re.sub(rf"^\d{{1,3}}(?=[{HAN}])", "", title)
    return title[:_TITLE_MAX]


def _iso(date: str) -> str:
    y, m, d = date.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def looks_like_collection(text: str, *, min_line: int = 20000) -> bool:
    """True when ``text`` looks like run-together articles (very long lines).

    Args:
        text: Document text.
        min_line: Line length above which a line is not one paragraph.

    Returns:
        Whether :func:`split_articles` should be used.
    """
    if len(text) < min_line:
        return False
    longest = max((len(line) for line in text.split("\n")), default=0)
    return longest >= min_line
