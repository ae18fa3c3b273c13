"""``kg convert``: Label Studio or doccano annotations -> gold JSON Lines."""

from __future__ import annotations

from pathlib import Path

import click


def convert(inputs: list[str], out: Path, predictions: bool = False) -> int:
    """Convert annotation files to one gold JSON Lines file.

    Args:
        inputs: Label Studio JSON exports, doccano JSON Lines or gold files (told apart by content).
        out: The gold file to write (atomically).
        predictions: Read Label Studio tasks nobody annotated from their predictions.

    Returns:
        The number of passages written.

    Raises:
        kg.errors.InputError: An input is unreadable or an annotation inconsistent.
        kg.errors.OutputError: ``out`` cannot be written.
    """
    from kg.annotation.formats import format_records, read_records
    from kg.atomic import write_text_atomic
    from kg.errors import InputError
    from kg.gold import passage_from_record

    records = read_records(inputs, predictions)
    if not records:
        hint = "" if predictions else " (tasks nobody annotated are left out: --predictions reads them)"
        raise InputError(f"{', '.join(inputs)}: no annotated passage{hint}")
    for where, rec in records:
        passage_from_record(rec, where)  # what is written reads back as gold
    write_text_atomic(out, format_records(rec for _, rec in records))
    return len(records)


@click.command("convert")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gold JSON Lines file to write.",
)
@click.option(
    "--predictions",
    is_flag=True,
    help="Also read Label Studio tasks nobody annotated, from their predictions (pre-annotations).",
)
def command(inputs, out, predictions) -> None:
    """Convert annotated INPUTS (Label Studio JSON exports, doccano JSONL) to gold JSON Lines.

    The format of each file is told from its content. Every region is
    checked against the task text; a region's canonical name is the one typed
    in its 'canonical' box, else the meta's (while the span is unchanged),
    else its text in Simplified script. Label Studio tasks without an
    annotation are left out unless --predictions is given.
    """
    n = convert(list(inputs), out, predictions)
    click.echo(f"kg: wrote {out} ({n} passages)", err=True)
