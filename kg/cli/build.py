"""``kg build``: read documents and write the knowledge graph."""

from __future__ import annotations

import logging
import sys

import click


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--workers", "-j", default=None, type=click.IntRange(1, 64),
              help="Extraction worker processes (default: one per usable core, no more than there is work "
              "for; results are identical for any number).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Reuse extraction results of unchanged documents from this folder.")
@click.option("--dask", "dask", metavar="SCHEDULER|local",
              help="Extract on a Dask cluster: a scheduler address, or 'local' for a local cluster "
              "(needs the 'dask' extra).")
@click.option("--places-dir", "places_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of place data (places_admin.jsonl, places_world.tsv, places_natural.jsonl, "
              "places_rules.json) to use instead of the bundled gazetteer.")
@click.option("--strict", is_flag=True,
              help="Fail on unreadable files inside folders instead of skipping them.")
@click.option("--model", "model_dir", metavar="MODEL_DIR", type=click.Path(file_okay=False, path_type=str),
              help="Trained model folder (from `kg train`) instead of the shipped one; 'none': rules only.")
@click.option("--explain", "explain_name", metavar="NAME",
              help="Also print, for every place the input writes NAME, the candidates, the rules that fired "
              "and the models' scores: why it is in the graph or not.")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option("-v", "--verbose", count=True,
              help="More detail (-vv for debug): the resolution summary (merges, refusals, shared labels).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def command(inputs, out_dir, workers, cache_dir, dask, places_dir, strict, model_dir, explain_name, no_html,
            verbose, quiet) -> None:
    """Build DIR/graph.ttl and DIR/graph.html from INPUTS.

    INPUTS are .txt/.md files, PDF reports, saved web pages (.html), Word
    files (.docx), folders of them, or .jsonl files (one document per line:
    id, text, and optional publisher, year, title, source). The texts read
    from PDF, HTML and Word files are kept in DIR/texts/ (offsets in the
    graph count in them; mentions from PDFs carry their page). With no
    INPUTS, the bundled sample corpus is built.
    """
    # imported here, not at the top: `kg --help` lists this command without loading spaCy
    from kg.build import build
    from kg.pipeline import use_model

    if model_dir is not None:
        use_model(model_dir)
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="kg: %(message)s", stream=sys.stderr, force=True)
    summary = build(
        inputs,
        out_dir,
        workers=workers,
        strict=strict,
        html=not no_html,
        cache_dir=cache_dir,
        dask=dask,
        places_dir=places_dir,
        progress=sys.stderr.isatty() and not quiet,
        warn=lambda msg: None if quiet else click.echo(f"kg: warning: {msg}", err=True),
    )
    if not quiet:
        click.echo(f"kg: {summary.line()}", err=True)
        click.echo(f"kg: wrote {', '.join(f'{out_dir}/{o}' for o in summary.outputs)}", err=True)
    if explain_name:
        from kg.build import BuildSummary, read_stage
        from kg.explain import explain
        from kg.pipeline import default_nlp

        nlp = default_nlp(places_dir)
        for line in explain(read_stage(inputs, BuildSummary(), strict=strict), explain_name, nlp):
            click.echo(line)
