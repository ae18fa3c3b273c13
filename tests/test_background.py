"""Work in a forked child while the parent goes on (the HTML view of ``kg build``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kg import background
from kg.background import in_background
from kg.errors import OutputError


@pytest.fixture(params=["forked", "in process"])
def mode(request, monkeypatch) -> str:
    if request.param == "in process":
        monkeypatch.setattr(background, "_can_fork", lambda: False)
    elif not background._can_fork():
        pytest.skip("needs fork and two cores")
    return request.param


def test_result_comes_back_and_files_written_by_the_work_exist(mode: str, tmp_path: Path) -> None:
    def work() -> list[str]:
        (tmp_path / "view.html").write_text("<html>", encoding="utf-8")
        return ["view.html", str(os.getpid())]

    names = in_background(work).result()
    assert names[0] == "view.html"
    assert (tmp_path / "view.html").read_text(encoding="utf-8") == "<html>"
    assert (names[1] != str(os.getpid())) == (mode == "forked")


def test_the_works_exception_is_raised_by_result(mode: str) -> None:
    def work() -> None:
        raise OutputError("cannot write graph.html: disk full")

    job = in_background(work)
    with pytest.raises(OutputError, match="disk full"):
        job.result()


def test_an_exception_that_does_not_pickle_still_reaches_the_parent(mode: str) -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def work() -> None:
        raise Local("odd failure")

    with pytest.raises(Exception, match="odd failure"):
        in_background(work).result()


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    if not background._can_fork():
        pytest.skip("needs fork and two cores")
    with pytest.raises(RuntimeError, match="exit code 3"):
        in_background(lambda: os._exit(3)).result()


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    if not background._can_fork():
        pytest.skip("needs fork and two cores")

    def work() -> None:
        time.sleep(30)
        (tmp_path / "late").write_text("x")

    job = in_background(work)
    job.cancel()
    assert not (tmp_path / "late").exists()
