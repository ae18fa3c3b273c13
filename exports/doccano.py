"""doccano: tasks as JSON Lines for sequence labelling with relations.

One line per task: ``text``, ``entities`` (``id``, ``label``,
``start_offset``, ``end_offset``) and ``relations`` (``id``, ``from_id``,
``to_id``, ``type``), plus fields doccano keeps as the example's metadata:
``kg_id``, ``document``, ``offset``, ``publisher``, ``year``, ``source`` and
``kg``, the region meta by span (:func:`kg.annotation.doccano.span_key`).
Create the labels of :data:`kg.annotation.tasks.REGION_LABELS` (span types)
and :data:`kg.annotation.tasks.LINK_LABELS` (relation types) in the project.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from kg.annotation.doccano import span_key
from kg.annotation.tasks import Task
from kg.atomic import write_text_atomic


def doccano_record(task: Task) -> dict:
    """The doccano line of ``task`` (region ids numbered from 1)."""
    ids = {r.id: n for n, r in enumerate(task.regions, start=1)}
    return {
        "text": task.text,
        "entities": [
            {"id": ids[r.id], "label": r.label, "start_offset": r.start, "end_offset": r.end}
            for r in task.regions
        ],
        "relations": [
            {"id": n, "from_id": ids[link.head], "to_id": ids[link.tail], "type": link.label}
            for n, link in enumerate(task.links, start=1)
        ],
        **task.data(),
        "kg": {span_key(r.start, r.end): r.meta for r in task.regions if r.meta},
    }


def write_doccano(tasks: Sequence[Task], out: str | os.PathLike) -> Path:
    """Write the doccano import file for ``tasks`` atomically (deterministic bytes)."""
    out = Path(out)
    write_text_atomic(out, "".join(json.dumps(doccano_record(t), ensure_ascii=False) + "\n" for t in tasks))
    return out
