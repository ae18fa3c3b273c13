"""Helpers shared by several test modules.

pytest puts this folder on ``sys.path`` (rootdir-relative, "prepend" import
mode), so test modules import it by name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kg.model import Document

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")


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


@contextlib.contextmanager
def browser(width: int = 1400, height: int = 900) -> Iterator:
    """Headless Chromium driven through chromedriver (selenium), logging every network request.

    Skips the test when Chromium, chromedriver or selenium is missing.
    """
    import pytest

    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium and chromedriver are needed")
    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_rendered(driver, timeout: float = 60) -> None:  # noqa: ANN001 - a selenium WebDriver
    """Wait until the page says it has drawn (``<body data-rendered="1">``)."""
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = driver.execute_script("return document.body && document.body.getAttribute('data-rendered')")
        if state in ("1", "error"):
            break
        time.sleep(0.05)
    assert state == "1", f"page not drawn: data-rendered={state!r}"


def requested_urls(driver) -> list[str]:  # noqa: ANN001 - a selenium WebDriver
    """Every URL the page asked for since the last call (DevTools ``Network.requestWillBeSent``)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def run_async(driver, script: str, *args: object) -> object:  # noqa: ANN001 - a selenium WebDriver
    """Run ``script``, an expression giving a promise, and return what it resolves to."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        f"Promise.resolve({script}).then(done, function (e) {{ done('error: ' + e); }});",
        *args,
    )


#: cases of the name finders (kg_programs, kg_platforms): a text and the name it
#: must yield (``keeps``), or the rule that makes it yield none (``rejects``)
NAME_CASES = Path(__file__).parent / "fixtures" / "name_cases.jsonl"


def name_cases(component: str, kind: str) -> list:
    """``(text, keeps)`` or ``(text, rejects)`` pairs of ``component``, as pytest params."""
    import pytest

    records = [json.loads(line) for line in NAME_CASES.read_text(encoding="utf-8").splitlines() if line]
    return [
        pytest.param(r["text"], r[kind], id=r["text"][:16])
        for r in records
        if r["component"] == component and kind in r
    ]


@functools.cache
def name_finder(factory: str):  # noqa: ANN201 - (spaCy Language, component)
    """A blank jieba pipeline with the one component ``factory`` (one per process)."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return nlp, nlp.add_pipe(factory)


def found_names(finder, text: str) -> dict:  # noqa: ANN001 - from name_finder
    """Canonical name -> mention of what the component of ``finder`` finds in ``text``."""
    nlp, component = finder
    return {m.canonical: m for m in component.match(nlp.make_doc(text))}


def name_case_tests(factory: str) -> tuple:
    """The two data-driven tests of a name finder, for a test module to collect under its own names.

    Args:
        factory: ``kg_programs`` or ``kg_platforms``.

    Returns:
        ``(keeps, rejects)``: every ``keeps`` case must yield its name, every
        ``rejects`` case no name at all.
    """
    import pytest

    @pytest.mark.parametrize(("text", "expected"), name_cases(factory, "keeps"))
    def keeps(text: str, expected: str) -> None:
        assert expected in found_names(name_finder(factory), text)

    @pytest.mark.parametrize(("text", "rule"), name_cases(factory, "rejects"))
    def rejects(text: str, rule: str) -> None:
        assert found_names(name_finder(factory), text) == {}, rule

    return keeps, rejects
