"""Label Studio: tasks pre-annotated with a graph's mentions, and the labelling config they need.

``write_tasks`` writes the JSON list Label Studio imports: per task its
``data`` (``text`` and our fields ``kg_id``, ``document``, ``offset``,
``publisher``, ``year``, ``source``) and one prediction whose ``result``
holds a ``labels`` region per mention and figure (the figure's value, unit,
year, indicator and subject in the region's meta, see
:mod:`kg.annotation.tasks`) and a ``relation`` result per link.
``labelling_config`` is the matching XML: the five entity labels and
MEASUREMENT, the six relations and ``subject``, and a per-region
``canonical`` box where an annotator types a region's canonical name
(``canonical | alias | alias``).
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from exports.kinds import RELATION_COLOR, TYPE_STYLE
from kg.annotation.labelstudio import CANONICAL_CONTROL, LABELS_CONTROL, TEXT_OBJECT
from kg.annotation.tasks import LINK_LABELS, MEASUREMENT, REGION_LABELS, Task, format_meta
from kg.atomic import write_text_atomic

#: the prediction's model version, as Label Studio shows it
MODEL_VERSION = "initiative-kg"
_MEASUREMENT_COLOR = "#9c755f"


def task_json(task: Task) -> dict:
    """One Label Studio task (``data`` and one prediction) for ``task``."""
    result: list[dict] = []
    for r in task.regions:
        item = {
            "id": r.id,
            "from_name": LABELS_CONTROL,
            "to_name": TEXT_OBJECT,
            "type": "labels",
            "value": {"start": r.start, "end": r.end, "text": r.text, "labels": [r.label]},
        }
        if r.meta:
            item["meta"] = {"text": [format_meta(r.meta)]}
        result.append(item)
    for link in task.links:
        result.append(
            {"type": "relation", "from_id": link.head, "to_id": link.tail, "direction": "right",
             "labels": [link.label]}
        )  # fmt: skip
    data = {"text": task.text, **task.data()}
    return {"data": data, "predictions": [{"model_version": MODEL_VERSION, "result": result}]}


def write_tasks(tasks: Sequence[Task], out: str | os.PathLike) -> Path:
    """Write the Label Studio import file for ``tasks`` atomically (deterministic bytes)."""
    out = Path(out)
    lines = ",\n".join(json.dumps(task_json(t), ensure_ascii=False) for t in tasks)  # one task a line
    write_text_atomic(out, f"[\n{lines}\n]\n" if tasks else "[]\n")
    return out


def labelling_config() -> str:
    """The labelling config XML of the tasks :func:`write_tasks` writes."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="$kg_id")
    relations = ET.SubElement(view, "Relations")
    for label in LINK_LABELS:
        ET.SubElement(
            relations, "Relation", value=label, background=RELATION_COLOR.get(label, _MEASUREMENT_COLOR)
        )
    labels = ET.SubElement(view, "Labels", name=LABELS_CONTROL, toName=TEXT_OBJECT)
    for label in REGION_LABELS:
        colour = _MEASUREMENT_COLOR if label == MEASUREMENT else TYPE_STYLE[label][1]
        hint = "数值 figure" if label == MEASUREMENT else TYPE_STYLE[label][0]
        ET.SubElement(labels, "Label", value=label, background=colour, hint=hint)
    ET.SubElement(view, "Text", name=TEXT_OBJECT, value="$text", granularity="symbol")
    box = ET.SubElement(view, "View", visibleWhen="region-selected")
    ET.SubElement(box, "Header", value="Canonical name (then | aliases), if not the text")
    ET.SubElement(
        box, "TextArea", name=CANONICAL_CONTROL, toName=TEXT_OBJECT, perRegion="true", editable="true",
        maxSubmissions="1", rows="1", placeholder="中国移动福建公司 | 福建公司",
    )  # fmt: skip
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def write_config(out: str | os.PathLike) -> Path:
    """Write :func:`labelling_config` to ``out`` atomically."""
    out = Path(out)
    write_text_atomic(out, labelling_config())
    return out
