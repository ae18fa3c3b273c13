"""Which annotation format a file holds (by its content), and reading any of them as gold.

``kg convert`` and ``kg train`` accept gold JSON Lines (GUIDELINES), Label
Studio JSON exports (a JSON list of tasks with ``data``) and doccano JSON
Lines (lines with ``entities`` holding ``start_offset``, or ``label``
triples). The format is told from what the file holds, not its name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from kg.annotation.doccano import read_doccano_record
from kg.annotation.labelstudio import read_label_studio
from kg.annotation.togold import task_to_record
from kg.errors import InputError
from kg.gold import GoldPassage, passage_from_record

#: format names :func:`detect_format` returns
FORMATS = ("gold", "label-studio", "doccano")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def _line_format(rec: object) -> str | None:
    """The format one JSON Lines record shows, ``None`` when it could be either."""
    if not isinstance(rec, dict):
        return None
    if "data" in rec and isinstance(rec["data"], dict):
        return "label-studio"
    entities = rec.get("entities") or []
    if any(isinstance(e, dict) and "start_offset" in e for e in entities) or isinstance(
        rec.get("label"), list
    ):
        return "doccano"
    if any(isinstance(e, dict) and "canonical" in e for e in entities) or rec.get("measurements"):
        return "gold"
    if any(isinstance(r, dict) and "from_id" in r for r in rec.get("relations") or []) or "kg" in rec:
        return "doccano"
    return None


def detect_format(path: Path, content: str) -> str:
    """The format of a file: one of :data:`FORMATS`.

    Raises:
        InputError: The content is none of them.
    """
    head = content.lstrip()
    if head.startswith("["):
        return "label-studio"
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            if lineno == 1 and head.startswith("{"):
                try:  # one Label Studio task written as a JSON object over several lines
                    return "label-studio" if "data" in json.loads(content) else "gold"
                except json.JSONDecodeError:
                    pass
            raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
        found = _line_format(rec)
        if found:
            return found
    return "gold"  # only texts: the same records in every format


def read_tasks_file(path: Path, content: str, fmt: str, predictions: bool = False) -> list[dict]:
    """The gold records of a Label Studio or doccano file (offsets checked)."""
    if fmt == "label-studio":
        try:
            entries = json.loads(content)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        tasks = read_label_studio(entries if isinstance(entries, list) else [entries], str(path), predictions)
    else:
        tasks = []
        for lineno, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
                tasks.append(read_doccano_record(rec, f"{path}:{lineno}"))
    return [task_to_record(t) for t in tasks]


def read_records(paths: Iterable[str | Path], predictions: bool = False) -> list[tuple[str, dict]]:
    """``(where, gold record)`` of every passage in ``paths``, whatever their format.

    Args:
        paths: Gold JSON Lines, Label Studio JSON exports or doccano JSON Lines files.
        predictions: For Label Studio tasks without an annotation, read their prediction.

    Raises:
        InputError: A file is unreadable, of no known format, or an annotation is inconsistent.
    """
    out: list[tuple[str, dict]] = []
    for raw in paths:
        path = Path(raw)
        content = _read(path)
        fmt = detect_format(path, content)
        if fmt == "gold":
            for lineno, line in enumerate(content.splitlines(), start=1):
                if line.strip():
                    try:
                        out.append((f"{path}:{lineno}", json.loads(line)))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
        else:
            out.extend(
                (f"{path}: {rec['id']}", rec) for rec in read_tasks_file(path, content, fmt, predictions)
            )
    return out


def read_passages(paths: Iterable[str | Path], predictions: bool = False) -> list[GoldPassage]:
    """The gold passages of ``paths`` in any annotation format (see :func:`read_records`)."""
    return [passage_from_record(rec, where) for where, rec in read_records(paths, predictions)]


def format_records(records: Iterable[dict]) -> str:
    """Gold records as JSON Lines text (UTF-8 characters kept, keys in record order)."""
    return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
