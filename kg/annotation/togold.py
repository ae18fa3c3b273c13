"""One annotation task -> one gold record (GUIDELINES "Record format").

Names: a region's canonical name is, in this order, the first name the
annotator typed for it (Label Studio's per-region ``canonical`` box), the
``canonical`` of its meta while the region still covers the ``mention`` the
meta was written for, or else its own text in Simplified script. Regions of
one type and canonical name are one entity; their other texts (unless they
only refer to it, like 公司) and typed or meta aliases are its aliases.

Figures: value and unit come from the meta while the span is unchanged, else
from parsing the span's text (``2.24亿元`` -> 224000000 元); the subject is the
entity a ``subject`` link reaches, else the meta's ``subject`` (an entity of
the task, or the publisher, which then joins the entities as an ORG).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kg.annotation.tasks import MEASUREMENT, REGION_LABELS, SUBJECT, Region, Task, is_yes, split_names
from kg.errors import InputError
from kg.gold import fold_name
from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.script import to_simplified


def _code_points(text: str, units: int) -> int:
    """The code point offset of UTF-16 offset ``units`` in ``text`` (-1 inside a surrogate pair)."""
    count = 0
    for i, ch in enumerate(text):
        if count == units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
        if count > units:
            return -1
    return len(text) if count == units else -1


def check_offsets(task: Task) -> None:
    """Every region lies in the task text and its text is what the text holds there.

    Offsets count code points; where a tool counted UTF-16 units instead (JavaScript string
    offsets: one more for each character beyond U+FFFF) and those match, the region is moved.

    Raises:
        InputError: One line naming the task and the region.
    """
    n = len(task.text)
    for r in task.regions:
        if r.label not in REGION_LABELS:
            raise InputError(
                f"{task.where}: region {r.id}: unknown label {r.label!r} (one of {REGION_LABELS})"
            )
        if r.text and task.text[r.start : r.end] != r.text:
            start, end = _code_points(task.text, r.start), _code_points(task.text, r.end)
            if 0 <= start < end and task.text[start:end] == r.text:
                r.start, r.end = start, end
        if not (0 <= r.start < r.end <= n):
            raise InputError(
                f"{task.where}: region {r.id}: offsets {r.start}-{r.end} outside the text (0-{n})"
            )
        actual = task.text[r.start : r.end]
        if r.text and r.text != actual:
            raise InputError(
                f"{task.where}: region {r.id}: text {r.text!r} does not match the task text "
                f"at {r.start}-{r.end} ({actual!r})"
            )


def _fresh(r: Region) -> bool:
    """True while the region covers the text its meta was written for (or the meta names none)."""
    mention = r.meta.get("mention")
    return mention is None or mention == r.text


def region_names(r: Region) -> tuple[str, list[str], bool]:
    """``(canonical, aliases, reference)`` of an entity region (see the module docstring)."""
    aliases = split_names(r.meta.get("aliases", "")) if _fresh(r) else []
    reference = is_yes(r.meta.get("reference")) and _fresh(r)
    if r.names:
        canonical, aliases = r.names[0], [*r.names[1:], *aliases]
    elif r.meta.get("canonical") and _fresh(r):
        canonical = r.meta["canonical"]
    else:
        canonical, reference = r.text.strip(), False
    if not reference:
        aliases.append(r.text.strip())
    return to_simplified(canonical.strip()), aliases, reference


def _entities(task: Task) -> tuple[list[dict], dict[str, str]]:
    """The gold entities of the task, and region id -> canonical name of its entity."""
    found: dict[tuple[str, str], dict] = {}
    canonical_of: dict[str, str] = {}
    for r in sorted(task.regions, key=lambda r: (r.start, r.end, r.id)):
        if r.label not in ENTITY_TYPES:
            continue
        canonical, aliases, _ = region_names(r)
        key = (r.label, fold_name(canonical))
        ent = found.setdefault(
            key, {"type": r.label, "canonical": canonical, "aliases": [], "optional": False}
        )
        canonical_of[r.id] = ent["canonical"]
        ent["optional"] = ent["optional"] or (is_yes(r.meta.get("optional")) and _fresh(r))
        folded = {fold_name(ent["canonical"]), *(fold_name(a) for a in ent["aliases"])}
        for a in aliases:
            if a and fold_name(a) not in folded:
                ent["aliases"].append(a)
                folded.add(fold_name(a))
    return list(found.values()), canonical_of


def _relations(task: Task, canonical_of: dict[str, str]) -> list[dict]:
    out: list[dict] = []
    for link in task.links:
        if link.label == SUBJECT:
            continue
        if link.label not in RELATION_TYPES:
            raise InputError(f"{task.where}: relation {link.head}->{link.tail}: unknown label {link.label!r}")
        for end in (link.head, link.tail):
            if end not in canonical_of:
                raise InputError(
                    f"{task.where}: relation {link.label} {link.head}->{link.tail}: region {end} "
                    "is no entity region of the task"
                )
        rec = {"head": canonical_of[link.head], "relation": link.label, "tail": canonical_of[link.tail]}
        if rec not in out:
            out.append(rec)
    return out


def _number(value: str) -> int | float:
    """A decimal string as the JSON number the gold files use (integers without a fraction)."""
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def _parsed_figure(task: Task, r: Region) -> tuple[str, str]:
    from extractors.numbers import parse_number

    parsed = parse_number(to_simplified(r.text))
    if parsed is None:
        raise InputError(
            f"{task.where}: region {r.id}: {r.text!r} is no figure (give 'value:' and 'unit:' in its meta)"
        )
    return parsed.value, parsed.unit


def _subject(task: Task, r: Region, canonical_of: dict[str, str]) -> str:
    for link in task.links:
        if link.label == SUBJECT and r.id in (link.head, link.tail):
            other = link.tail if link.head == r.id else link.head
            if other in canonical_of:
                return canonical_of[other]
    if r.meta.get("subject"):
        return to_simplified(r.meta["subject"])
    raise InputError(f"{task.where}: region {r.id}: figure {r.text!r} has no subject (link it to its entity)")


def _measurement(task: Task, r: Region, canonical_of: dict[str, str]) -> dict:
    meta = r.meta
    if _fresh(r) and meta.get("value"):
        value, unit = meta["value"], meta.get("unit", "")
    else:
        value, unit = _parsed_figure(task, r)
    try:
        number = _number(value.replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InputError(f"{task.where}: region {r.id}: value {value!r} is not a number") from None
    year = meta.get("year") or None
    if year is not None and not str(year).isdigit():
        raise InputError(f"{task.where}: region {r.id}: year {year!r} is not a year")
    rec = {
        "subject": _subject(task, r, canonical_of),
        "value": number,
        "unit": unit,
        "year": int(year) if year else None,
        "indicator": meta.get("indicator", ""),
    }
    if is_yes(meta.get("optional")):
        rec["optional"] = True
    return rec


def task_to_record(task: Task) -> dict:
    """The gold record of an annotated task.

    Args:
        task: A task read from a tool's export.

    Returns:
        A dict in the GUIDELINES record format (``id, source, publisher, year,
        text, entities, relations, measurements``).

    Raises:
        InputError: A region does not match the task text, a link or figure is incomplete.
    """
    check_offsets(task)
    regions = {r.id for r in task.regions}
    for link in task.links:
        for end in (link.head, link.tail):
            if end not in regions:
                raise InputError(f"{task.where}: link {link.label} {link.head}->{link.tail}: no region {end}")
    entities, canonical_of = _entities(task)
    measurements = [_measurement(task, r, canonical_of) for r in task.regions if r.label == MEASUREMENT]
    for m in measurements:
        if any(fold_name(m["subject"]) == fold_name(e["canonical"]) for e in entities):
            continue
        if task.publisher and fold_name(m["subject"]) == fold_name(task.publisher):
            # the figure is the publisher's (公司…): the passage refers to it, so it is an entity of it
            name = to_simplified(task.publisher)
            entities.append({"type": "ORG", "canonical": name, "aliases": [], "optional": False})
            continue
        raise InputError(f"{task.where}: figure subject {m['subject']!r} is no entity of the task")
    return {
        "id": task.id,
        "source": task.source,
        "publisher": task.publisher,
        "year": task.year,
        "text": task.text,
        "entities": entities,
        "relations": _relations(task, canonical_of),
        "measurements": measurements,
    }
