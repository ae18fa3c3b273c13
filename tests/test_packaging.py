"""Every data file the code reads is shipped: a plain ``pip install .`` (as CI does) has it.

Regression: ``kg/data/bodies.json`` was read by the resolver but not declared as package
data, so every build failed in a non-editable install while editable installs worked.
"""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "extractors", "exports", "ontology")


def _tracked(package: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", package], cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:  # not a git checkout (an sdist): look at the files themselves
        return [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*") if p.is_file()]
    return out.stdout.split()


def test_packaging_every_data_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]
    missing = []
    for package in PACKAGES:
        for path in _tracked(package):
            if path.endswith(".py") or "__pycache__" in path:
                continue
            inside = path[len(package) + 1 :]
            if not any(fnmatch.fnmatch(inside, p) for p in patterns.get(package, [])):
                missing.append(path)
    assert not missing, f"not shipped by pip install .: {missing}"
