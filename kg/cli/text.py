"""``kg text``: print the text ``kg build`` reads from a file, to see what the extractors saw."""

from __future__ import annotations

import click


@click.command("text")
@click.argument("file", type=click.Path(path_type=str))
@click.option("--pages", is_flag=True, help="Mark where each page of a PDF starts (and its offsets).")
@click.option(
    "--prepared",
    is_flag=True,
    help="Print the text as the extractors read it: folded, Simplified, lines joined, by segment.",
)
def command(file: str, pages: bool, prepared: bool) -> None:
    """Print the text of FILE as kg build reads it.

    FILE is a .pdf, .html, .docx, .txt, .md or .jsonl file. Character offsets
    in the graph (kg:startOffset, kg:endOffset) count in this text; for PDF,
    HTML and Word files it is also what kg build keeps in DIR/texts/.
    Warnings (pages without a text layer, ...) go to stderr.
    """
    from kg.documents import read_inputs

    docs = list(read_inputs([file], warn=lambda msg: click.echo(f"kg: warning: {msg}", err=True)))
    for n, doc in enumerate(docs):
        if len(docs) > 1:
            click.echo(f"{chr(10) if n else ''}==> {doc.id} <==")
        if prepared:
            _echo_prepared(doc, pages)
        elif pages and doc.pages is not None:
            bounds = [*doc.pages, len(doc.text)]
            for number, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False), start=1):
                note = "" if end > start else " (no text)"
                click.echo(f"── page {number} ── characters {start}–{end}{note}")
                if end > start:
                    click.echo(doc.text[start:end])
        else:
            click.echo(doc.text)


def _echo_prepared(doc, pages: bool) -> None:  # noqa: ANN001 - kg.model.Document
    from kg.readers import page_of
    from kg.textprep import prepare

    shown = None
    for i, seg in enumerate(prepare(doc)):
        page = page_of(doc.pages, seg.offsets[0]) if pages else None
        if page is not None and page != shown:
            click.echo(f"{chr(10) if i else ''}── page {page} ──")
            shown = page
        elif i:
            click.echo()
        click.echo(seg.text)
