"""``kg train``: fit the learned components on gold passages and write a model folder."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

import click


@click.command("train")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="Model folder to write (replaced only when training succeeds).",
)
@click.option(
    "--folds",
    default=5,
    show_default=True,
    type=click.IntRange(0, 20),
    help="Cross-validate with this many folds first (0 or 1: no cross-validation).",
)
@click.option("--seed", default=13, show_default=True, type=int, help="Seed of the fold split.")
@click.option(
    "--always",
    "always",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="Gold file in every training set but never scored (passages the rules were written on).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def command(gold, out_dir, folds, seed, always, quiet) -> None:
    """Train the extraction models on GOLD files and write them to --out.

    GOLD files are JSON Lines in the annotation format of the guidelines
    (id, text, publisher, year, entities, relations, measurements), or
    annotations exported from Label Studio (JSON) or doccano (JSONL), told
    apart by content and read as `kg convert` reads them. With
    --folds K (default 5) the models are first cross-validated: trained on
    K-1 folds and scored on the held-out one; the per-fold and mean scores
    are printed. Then the models are trained on all passages and written as
    data (CRFsuite weights and JSON, never pickles). Use the folder with
    `kg build --model DIR`.
    """
    from kg.annotation.formats import read_passages
    from kg.atomic import atomic_dir
    from kg.train import candidate_examples, fit

    logging.getLogger("kg").setLevel(logging.ERROR)
    passages = read_passages(gold)
    fixed = read_passages(always) if always else []
    if not passages:
        raise click.UsageError("the gold files hold no passages")
    say = (lambda msg: None) if quiet else (lambda msg: click.echo(msg, err=True))
    bar = _progress(quiet)
    examples = candidate_examples([*fixed, *passages], progress=bar("candidates"))
    say(f"kg: {len(fixed) + len(passages)} passages, {len(examples)} segments")
    if folds >= 2:
        if len(passages) < folds:
            raise click.UsageError(f"--folds {folds} needs at least {folds} passages (got {len(passages)})")
        _cross_validate(passages, fixed, examples, folds, seed, say)
    with atomic_dir(out_dir) as stage:
        report = fit(
            [*fixed, *passages],
            stage,
            examples=examples,
            sources=[Path(g).name for g in (*always, *gold)],
            progress=bar("jackknife"),
        )
    say(f"kg: wrote {out_dir} ({', '.join(sorted(report.files))})")


def _cross_validate(passages, fixed, examples, folds: int, seed: int, say) -> None:
    """Cross-validate, say each fold's figures and print the mean table."""
    from kg.evaluate import format_rows, mean_rows
    from kg.train import cross_validate

    def report(k, s) -> None:
        say(f"kg: fold {k}: entity F1 {s.total('entities').f1:.3f}  relation F1 "
            f"{s.total('relations').f1:.3f}  measurement F1 {s.measurements.f1:.3f}")

    work = Path(tempfile.mkdtemp(prefix="kg-train-cv-"))
    try:
        results = cross_validate(passages, folds, work, seed, always=fixed, examples=examples, report=report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    click.echo(f"Cross-validated ({folds} folds by passage, seed {seed}; mean of the folds):")
    for line in format_rows(mean_rows(results)):
        click.echo("  " + line)


def _progress(quiet: bool):
    def wrap(desc: str):
        if quiet or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return lambda it: tqdm(it, desc=f"kg: {desc}", leave=False)

    return wrap
