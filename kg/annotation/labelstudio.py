"""Label Studio JSON exports (and task files) read as annotation tasks.

Label Studio's "JSON" export is a list of tasks, each with its ``data`` (the
text and our fields: ``kg_id``, ``document``, ``offset``, ``publisher``,
``year``, ``source``), its ``annotations`` and ``predictions``. Each holds a
``result`` list of ``labels`` regions (``value.start/end/text/labels``, region
``meta``), per-region ``textarea`` results sharing a region's id (the
``canonical`` box of our labelling config) and ``relation`` results
(``from_id``, ``to_id``, ``direction``, ``labels``).

The newest annotation that was not cancelled is read; a task without one
is left out, or read from its first prediction when predictions are asked for.
"""

from __future__ import annotations

from kg.annotation.tasks import Link, Region, Task, parse_meta, split_names
from kg.errors import InputError

#: names of the controls in the labelling config (:func:`exports.labelstudio.labelling_config`)
LABELS_CONTROL = "label"
CANONICAL_CONTROL = "canonical"
TEXT_OBJECT = "text"


def _meta(item: dict) -> dict[str, str]:
    meta = item.get("meta") or {}
    if not isinstance(meta, dict):
        return {}
    text = meta.get("text", "")
    lines = "\n".join(str(t) for t in text) if isinstance(text, list) else str(text)
    out = parse_meta(lines)
    for key, value in meta.items():  # meta keys set directly (an import script, a later tool)
        if key != "text" and isinstance(value, str | int | float):
            out.setdefault(key, str(value))
    return out


def _region(item: dict, where: str) -> Region:
    value = item.get("value") or {}
    labels = value.get("labels") or []
    if len(labels) != 1:
        raise InputError(f"{where}: region {item.get('id')}: needs exactly one label (has {labels!r})")
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{where}: region {item.get('id')}: no character offsets (start, end)") from None
    return Region(str(item.get("id")), start, end, str(labels[0]), str(value.get("text") or ""), _meta(item))


def _link(item: dict, where: str) -> Link:
    head, tail = str(item.get("from_id")), str(item.get("to_id"))
    labels = item.get("labels") or []
    if len(labels) != 1:
        raise InputError(f"{where}: relation {head}->{tail}: needs exactly one label (has {labels!r})")
    direction = item.get("direction", "right")
    if direction == "left":
        head, tail = tail, head
    elif direction != "right":
        raise InputError(f"{where}: relation {head}->{tail}: direction {direction!r} (give it one direction)")
    return Link(head, tail, str(labels[0]))


def read_result(result: list, task: Task) -> Task:
    """Fill ``task`` with the regions and links of a Label Studio ``result`` list.

    Raises:
        InputError: A result item is malformed (one line naming the task).
    """
    names: dict[str, tuple[str, ...]] = {}
    for item in result:
        if not isinstance(item, dict):
            raise InputError(f"{task.where}: a result item is not an object")
        kind = item.get("type")
        if kind == "labels":
            task.regions.append(_region(item, task.where))
        elif kind == "relation":
            task.links.append(_link(item, task.where))
        elif kind == "textarea" and item.get("from_name") == CANONICAL_CONTROL:
            typed = (item.get("value") or {}).get("text") or []
            typed = [typed] if isinstance(typed, str) else typed
            names[str(item.get("id"))] = tuple(n for t in typed for n in split_names(t))
    for region in task.regions:
        region.names = names.get(region.id, ())
    return task


def _chosen(entry: dict, predictions: bool) -> list | None:
    """The result list to read from a task: its newest live annotation, or its first prediction."""
    live = [a for a in entry.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if live:

        def when(pair: tuple[int, dict]) -> tuple[str, int]:
            return str(pair[1].get("updated_at") or pair[1].get("created_at") or ""), pair[0]

        return max(enumerate(live), key=when)[1].get("result") or []
    if predictions and entry.get("predictions"):
        first = entry["predictions"][0]
        return (first.get("result") or []) if isinstance(first, dict) else None
    return None


def _year(value: object, where: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InputError(f"{where}: year {value!r} is not a year") from None


def read_label_studio(entries: list, where: str, predictions: bool = False) -> list[Task]:
    """The annotated tasks of a Label Studio JSON export.

    Args:
        entries: The parsed JSON list.
        where: The file name, for error messages.
        predictions: Read a task without annotations from its first prediction.

    Returns:
        One task per annotated task, in file order.

    Raises:
        InputError: The list holds something that is not a task with a text.
    """
    tasks = []
    for n, entry in enumerate(entries, start=1):
        data = entry.get("data") if isinstance(entry, dict) else None
        if data is None and isinstance(entry, dict) and isinstance(entry.get("text"), str):
            raise InputError(
                f"{where}: task {n}: a JSON-MIN export, which drops relations and region meta "
                "(export the project as JSON)"
            )
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InputError(f"{where}: task {n}: no data.text (not a Label Studio task)")
        ident = str(data.get("kg_id") or entry.get("id") or n)
        at = f"{where}: task {ident}"
        result = _chosen(entry, predictions)
        if result is None:
            continue
        task = Task(
            id=ident,
            text=data["text"],
            where=at,
            document=str(data.get("document") or ident),
            offset=int(data.get("offset") or 0),
            publisher=data.get("publisher") or None,
            year=_year(data.get("year"), at),
            source=data.get("source") or None,
        )
        tasks.append(read_result(result, task))
    return tasks
