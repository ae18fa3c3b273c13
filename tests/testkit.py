"""Helpers shared by several test modules.

pytest puts this folder on ``sys.path`` (rootdir-relative, "prepend" import
mode), so test modules import it by name.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.model import Document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def kg_command() -> list[str]:
    """The ``kg`` entry point of the interpreter running the tests."""
    beside = Path(sys.executable).with_name("kg")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("kg")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]


def write_jsonl(docs: list[Document], path: Path) -> Path:
    """Write ``docs`` as a JSON Lines input file."""
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            record = {k: v for k, v in dataclasses.asdict(d).items() if v is not None}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def run_chromium(url: str, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Open ``url`` in headless Chromium with a fresh profile and no background network."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--window-size=1400,900",
                "--virtual-time-budget=5000",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
