"""Place grounding checked against the place named right before it.

A place written right before another (福建安溪, 张掖黑河) is read as its
container. When the division a mention was grounded to lies in another
province than that place (黑河 grounded to 黑河市 of 黑龙江, right after 张掖 of
甘肃: the 黑河 wetland of 张掖), the grounding contradicts its context: the
mention is not that division, and it is refused, with the relations read
from its sentence. Three or more names in a row are a list (杭州广州成都郑州,
a table header run together), not a container and its part.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract import DocumentExtraction, EntityRecord

#: administrative levels, higher first
_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4, "village": 5}


def _grounded(r: EntityRecord) -> bool:
    return (r.label == "PLACE" and not r.implicit and bool(r.attrs.get("adcode"))
            and r.attrs.get("place_level") in _RANK and r.attrs.get("place_level") != "country")


def contradicted(text: str, records: Sequence[EntityRecord]) -> list[tuple[int, str]]:
    """The grounded place mentions that the place named right before them contradicts.

    Args:
        text: The document's original text (offsets of the records).
        records: The document's entity records.

    Returns:
        ``(index into records, reason)`` of each contradicted mention.
    """
    places = sorted((r.evidence.start, r.evidence.end, i) for i, r in enumerate(records) if _grounded(r))

    def adjacent(x: int, y: int) -> bool:
        if not 0 <= x < y < len(places):
            return False
        end, start = places[x][1], places[y][0]
        if end == start:
            return True
        # only white space between them (a PDF line break); without the text, nothing
        return end < start <= len(text) and not text[end:start].strip()

    out = []
    for n in range(len(places) - 1):
        if not adjacent(n, n + 1) or adjacent(n - 1, n) or adjacent(n + 1, n + 2):
            continue  # not a pair, or a run of three or more names: a list (杭州广州成都郑州)
        p, q = records[places[n][2]], records[places[n + 1][2]]
        qi = places[n + 1][2]
        p_code, q_code = str(p.attrs["adcode"]), str(q.attrs["adcode"])
        p_level, q_level = p.attrs["place_level"], q.attrs["place_level"]
        if _RANK[p_level] > _RANK[q_level] or p_code[:2] == q_code[:2]:
            continue  # a smaller place first, or one province (宁波舟山): no reading as a container
        why = f"{q.canonical} ({q_code}) is not in {p.canonical} ({p_code}), named right before it"
        out.append((qi, why))
    return out


def drop_contradicted(x: DocumentExtraction) -> tuple[DocumentExtraction, list[tuple[EntityRecord, str]]]:
    """``x`` without its contradicted place mentions and the relations read in their sentences.

    Returns:
        ``(the extraction, [(refused record, reason)])``; ``x`` itself when nothing is refused.
    """
    found = contradicted(x.document.text, x.entities)
    if not found:
        return x, []
    refused = [(x.entities[i], why) for i, why in found]
    gone = {i for i, _ in found}
    spots = [(r.key, r.evidence.start) for r, _ in refused]

    def touches(rel) -> bool:  # noqa: ANN001 - a RelationRecord
        ev = rel.evidence
        return any(k in (rel.head, rel.tail) and ev.sent_start <= start < max(ev.sent_end, ev.end)
                   for k, start in spots)

    kept = DocumentExtraction(
        document=x.document,
        entities=[r for i, r in enumerate(x.entities) if i not in gone],
        relations=[rel for rel in x.relations if not touches(rel)],
        measurements=x.measurements,
        segments=x.segments,
    )
    return kept, refused
