"""Fixtures shared by several test modules: documents printed from the bundled corpus, a fresh build of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import make_documents


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two report PDFs printed by headless Chromium (see ``tests/fixtures/make_documents.py``).

    Keys: ``report_hans``, ``report_hant`` (PDF paths; each has a
    ``.source.txt`` beside it) and ``folder``.
    """
    if make_documents.CHROMIUM is None:
        pytest.skip("chromium not installed")
    folder = tmp_path_factory.mktemp("printed")
    reports = make_documents.make_reports(folder)
    return {**reports, "folder": folder}


@pytest.fixture(scope="session")
def encrypted_pdf(printed: dict[str, Path]) -> Path:
    """``report_hant.pdf`` encrypted with a user password (needs qpdf)."""
    if make_documents.QPDF is None:
        pytest.skip("qpdf not installed")
    return make_documents.encrypt(printed["report_hant"], printed["folder"] / "report_hant.encrypted.pdf")


@pytest.fixture(scope="session")
def bundled_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh ``kg build`` of the bundled corpus (``graph.ttl`` and ``graph.html``), built once per run.

    Tests on it check properties that must hold for any build of the corpus
    (non-empty, equal in two engines, labelled), never fixed counts: the
    extractors, and so the graph, change.
    """
    from kg.build import build

    out = tmp_path_factory.mktemp("bundled") / "out"
    build([], out, workers=2)
    return out
