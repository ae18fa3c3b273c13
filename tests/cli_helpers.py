"""Helpers shared by the tests that run the ``kg`` command in a subprocess.

pytest puts this folder on ``sys.path`` (rootdir-relative, "prepend" import
mode), so test modules import it by name.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def kg_command() -> list[str]:
    """The ``kg`` entry point of the interpreter running the tests."""
    beside = Path(sys.executable).with_name("kg")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("kg")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
