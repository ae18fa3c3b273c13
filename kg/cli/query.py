"""``kg query``: run one SPARQL query over a graph and print the answer."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from kg.errors import QueryError

FORMATS = ("table", "csv", "tsv", "json", "ttl", "nt")
#: Widest a table cell gets, in terminal columns (CJK characters count two).
CELL_WIDTH = 48


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters count two.

    Args:
        text: Any string.

    Returns:
        The width in columns.
    """
    wide = ("W", "F")
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in wide else 1
               for ch in text)


def clip(text: str, width: int) -> str:
    """Shorten ``text`` to at most ``width`` columns, ending in ``…`` when cut.

    Args:
        text: Cell text.
        width: Maximum columns.

    Returns:
        The text, cut at a character boundary.
    """
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def compact_iri(value: str, prefixes: dict[str, str]) -> str:
    """``https://w3id.org/initiative-kg/id/program/x`` -> ``kgi:program/x``."""
    for prefix, namespace in prefixes.items():
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def format_table(frame, prefixes: dict[str, str], width: int = CELL_WIDTH) -> str:
    """An aligned text table, correct for CJK text in a terminal.

    Args:
        frame: A DataFrame of plain values (see ``exports.sparql.solutions_frame``).
        prefixes: Prefixes used to shorten IRIs.
        width: Widest cell in columns.

    Returns:
        Header, rule and one line per row; numbers right-aligned, text left.
    """
    columns = [str(c) for c in frame.columns]
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            text = "" if value is None else compact_iri(str(value), prefixes)
            cells.append((clip(" ".join(text.split()), width), isinstance(value, int | float)))
        rows.append(cells)
    widths = [display_width(c) for c in columns]
    for cells in rows:
        widths = [max(w, display_width(text)) for w, (text, _) in zip(widths, cells, strict=True)]

    def pad(text: str, w: int, right: bool) -> str:
        fill = " " * (w - display_width(text))
        return fill + text if right else text + fill

    lines = ["  ".join(pad(c, w, False) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for cells in rows:
        line = "  ".join(pad(t, w, num) for (t, num), w in zip(cells, widths, strict=True))
        lines.append(line.rstrip())
    return "\n".join(lines)


def read_query(source: str) -> str:
    """The query text from ``source``.

    Args:
        source: ``-`` (stdin), a ``.rq`` file, the name of a bundled example
            query (``programs_per_province``), or the query itself.

    Returns:
        SPARQL text.

    Raises:
        QueryError: An empty query or an unreadable file.
    """
    from exports.sparql import QUERIES_DIR

    if source == "-":
        text = sys.stdin.read()
    elif "\n" not in source and len(source) < 1024 and Path(source).is_file():
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"{source}: cannot read query file: {err}") from None
    elif source.isidentifier() and (QUERIES_DIR / f"{source}.rq").is_file():
        text = (QUERIES_DIR / f"{source}.rq").read_text(encoding="utf-8")
    else:
        text = source
    if not text.strip():
        raise QueryError("empty query")
    return text


def query(graph: Path, text: str, fmt: str, timeout_s: float, limit: int) -> tuple[str | bytes, bool]:
    """Run ``text`` over ``graph`` and render it in ``fmt``.

    Args:
        graph: Graph file or ``kg build`` output folder.
        text: SPARQL query.
        fmt: One of :data:`FORMATS`.
        timeout_s: Hard deadline in seconds.
        limit: Row cap.

    Returns:
        The rendered output and whether the row cap cut it.

    Raises:
        QueryError: Refused, malformed, timed out, or a format that does not
            fit the query form.
    """
    from exports import sparql

    form = sparql.check_query(text)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    if fmt in ("ttl", "nt") and form and not graph_form:
        raise QueryError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query")
    if fmt in ("csv", "tsv") and graph_form:
        raise QueryError(f"--format {fmt} needs a SELECT or ASK query; use ttl, nt or json")
    engine_fmt = {"table": "ttl" if graph_form else "json",
                  "json": "jsonld" if graph_form else "json"}.get(fmt, fmt)
    with sparql.QueryPool([graph], workers=1) as pool:
        answer = pool.run(text, fmt=engine_fmt, timeout_s=timeout_s, max_rows=limit)
    if fmt != "table" or answer.form == "CONSTRUCT":
        return answer.body, answer.truncated
    if answer.form == "ASK":
        return ("true" if b"true" in answer.body else "false"), False
    return format_table(sparql.solutions_frame(answer.body), sparql.PREFIXES), answer.truncated


@click.command("query")
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("query_source", metavar="QUERY")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="Output: table (default on a terminal), csv (default when piped), tsv, json "
    "(SPARQL JSON, or JSON-LD for CONSTRUCT), ttl or nt (CONSTRUCT/DESCRIBE).",
)
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Stop the query after this many seconds.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Keep at most this many rows (or triples).")
def command(graph: Path, query_source: str, fmt: str | None, timeout_s: float, limit: int) -> None:
    """Run a SPARQL QUERY over GRAPH (a graph file or a `kg build` folder).

    QUERY is the query text, a .rq file, `-` for standard input, or the name
    of a bundled example (e.g. programs_per_province). The ontology is loaded
    alongside the data. Read-only: SPARQL Update and SERVICE are refused.
    """
    if fmt is None:
        fmt = "table" if sys.stdout.isatty() else "csv"
    output, truncated = query(graph, read_query(query_source), fmt, timeout_s, limit)
    if isinstance(output, bytes):
        click.echo(output, nl=not output.endswith(b"\n"))
    else:
        click.echo(output)
    if truncated:
        click.echo(f"kg: note: result cut at {limit} rows (--limit)", err=True)
