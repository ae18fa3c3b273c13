"""doccano JSON Lines (sequence labelling with relations) read as annotation tasks.

One line per example::

    {"text": "...", "entities": [{"id": 1, "label": "ORG", "start_offset": 6, "end_offset": 10}],
     "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "subsidiaryOf"}],
     "kg_id": "a", "document": "a", "offset": 0, "publisher": "中国移动", "year": 2023,
     "kg": {"10-14": {"canonical": "中国移动福建公司", "mention": "福建公司"}}}

doccano keeps the fields it does not know as the example's metadata and
writes them back on export; ``kg`` holds the region meta (see
:mod:`kg.annotation.tasks`) by span, so a span the annotator moved keeps
none of it (its canonical is then its text); a relabelled one keeps it. The older
``"label": [[start, end, "ORG"], ...]`` form is read too.
"""

from __future__ import annotations

from kg.annotation.tasks import Link, Region, Task
from kg.errors import InputError


def span_key(start: int, end: int) -> str:
    """The key of a span's meta in the ``kg`` field (a relabelled span keeps its meta, as in Label Studio)."""
    return f"{start}-{end}"


def _spans(rec: dict, where: str) -> list[tuple[str, int, int, str]]:
    """``(id, start, end, label)`` of every span of a line."""
    out = []
    if isinstance(rec.get("entities"), list):
        for n, e in enumerate(rec["entities"], start=1):
            try:
                out.append(
                    (str(e.get("id", n)), int(e["start_offset"]), int(e["end_offset"]), str(e["label"]))
                )
            except (AttributeError, KeyError, TypeError, ValueError):
                raise InputError(f"{where}: entity {e!r} needs label, start_offset, end_offset") from None
    elif isinstance(rec.get("label"), list):
        for n, e in enumerate(rec["label"], start=1):
            if not (isinstance(e, list) and len(e) == 3):
                raise InputError(f"{where}: label {e!r} is not [start, end, label]")
            out.append((f"s{n}", int(e[0]), int(e[1]), str(e[2])))
    return out


def _links(rec: dict, where: str) -> list[Link]:
    out = []
    for r in rec.get("relations") or []:
        try:
            out.append(Link(str(r["from_id"]), str(r["to_id"]), str(r["type"])))
        except (KeyError, TypeError):
            raise InputError(f"{where}: relation {r!r} needs from_id, to_id, type") from None
    return out


def read_doccano_record(rec: dict, where: str) -> Task:
    """The task of one doccano line.

    Args:
        rec: The parsed line.
        where: ``file:line``, for error messages.

    Raises:
        InputError: The line is not a doccano example with a text.
    """
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise InputError(f"{where}: no 'text' (not a doccano example)")
    text = rec["text"]
    meta = rec.get("kg") if isinstance(rec.get("kg"), dict) else {}
    ident = str(rec.get("kg_id") or rec.get("id") or where)
    year = rec.get("year")
    task = Task(
        id=ident,
        text=text,
        where=f"{where} ({ident})",
        document=str(rec.get("document") or ident),
        offset=int(rec.get("offset") or 0),
        publisher=rec.get("publisher") or None,
        year=int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None,
        source=rec.get("source") or None,
        links=_links(rec, where),
    )
    for sid, start, end, label in _spans(rec, where):
        fields = meta.get(span_key(start, end)) or {}
        fields = {k: str(v) for k, v in fields.items() if v is not None} if isinstance(fields, dict) else {}
        task.regions.append(
            Region(sid, start, end, label, text[start:end] if 0 <= start < end else "", fields)
        )
    return task
