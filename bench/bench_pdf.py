"""PDF text extraction throughput: ``kg.readers.pdf`` against PDFium's plain page text.

A measurement, not a test.

    python bench/bench_pdf.py [PDF ...] [--repeat 3] [--chars 60000]

Without PDF arguments, two reports are printed by headless Chromium from the
bundled corpus (``tests/fixtures/make_documents.py``, laid out like the test
fixtures: two and three columns, running headers, page numbers, a table, a
caption and a box): the first ``--chars`` characters of the 2020 report
(Simplified) and of the 2024 ESG report (Traditional), about 70 pages.

For each file, in the same process, best of ``--repeat`` runs:

- **plain**: open the file with pypdfium2 and take each page's
  ``get_text_range()``, the text in the order it was painted (the baseline:
  what a reader without layout analysis costs);
- **characters**: the same pages read character by character with their
  boxes (``kg.readers.pdf._read_page``: what the layout needs as input);
- **kg reader**: ``kg.readers.pdf.read``, the whole reader (characters,
  columns, tables, headers and footers, captions, page map).

Prints pages per second and the ratio of each to the baseline. The issue's
target is at least 20 pages per second for the kg reader on this machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# run as a script, Python puts bench/ first on sys.path
from common import ROOT, machine, table


def _plain(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def _characters(path: Path) -> int:
    import pypdfium2 as pdfium

    from kg.readers import pdf as reader

    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            reader._read_page(pdf, i)
        return len(pdf)
    finally:
        pdf.close()


def _kg(path: Path) -> int:
    from kg.readers import pdf as reader

    got = reader.read(path, lambda msg: None)
    return len(got.pages)


def _best(fn, path: Path, repeat: int) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        pages = fn(path)
        best = min(best, time.perf_counter() - t)
    return best, pages


def _print_fixtures(folder: Path, chars: int) -> list[Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures import make_documents

    if make_documents.CHROMIUM is None:
        raise SystemExit("bench_pdf: no chromium on PATH; give PDF files as arguments")
    out = []
    for name, report in (
        ("report_2020_hans", make_documents.hans_report(chars, source="001")),
        ("report_2024_hant", make_documents.hant_report(chars, source="003")),
    ):
        out.append(make_documents.chromium_pdf(make_documents.report_html(report), folder / f"{name}.pdf"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--chars", type=int, default=40000, help="corpus characters per printed report")
    args = ap.parse_args(argv)

    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = args.pdfs or _print_fixtures(Path(tmp), args.chars)
        _kg(pdfs[0])  # imports and first-use costs out of the timings
        rows = []
        totals = {"plain": [0.0, 0], "characters": [0.0, 0], "kg reader": [0.0, 0]}
        for path in pdfs:
            times = {}
            for label, fn in (("plain", _plain), ("characters", _characters), ("kg reader", _kg)):
                seconds, pages = _best(fn, path, args.repeat)
                times[label] = seconds
                totals[label][0] += seconds
                totals[label][1] += pages
            for label, seconds in times.items():
                rows.append([
                    path.name, label, pages, f"{seconds:.3f}", f"{pages / seconds:.1f}",
                    f"{seconds / times['plain']:.2f}x",
                ])  # fmt: skip
        for label, (seconds, pages) in totals.items():
            rows.append([
                "all", label, pages, f"{seconds:.3f}", f"{pages / seconds:.1f}",
                f"{seconds / totals['plain'][0]:.2f}x",
            ])  # fmt: skip
    print(table(rows, ["file", "reader", "pages", "seconds (best)", "pages/s", "time vs plain"]))
    pages_per_s = totals["kg reader"][1] / totals["kg reader"][0]
    verdict = "met" if pages_per_s >= 20 else "NOT met"
    print(f"\nkg reader: {pages_per_s:.1f} pages/s (target >= 20): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
