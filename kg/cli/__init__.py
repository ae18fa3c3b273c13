"""The ``kg`` command line: a thin Click group over plain functions.

Each sub-command lives in its own module of this package and is loaded only
when it runs, so ``kg query`` never pays for importing spaCy.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading

import click

from kg.errors import KGError

#: command name -> module under kg.cli defining ``command``
COMMANDS = {
    "build": "build",
    "validate": "validate",
    "export": "export",
    "view": "view",
    "query": "query",
    "serve": "serve",
    "push": "push",
    "text": "text",
    "train": "train",
    "convert": "convert",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"kg.cli.{module}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="initiative-kg")
def cli() -> None:
    """Build and explore knowledge graphs of initiatives in Chinese corporate texts."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (staging folders, workers)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _one_line(message: object) -> str:
    """``message`` on a single line (parser errors of other libraries span several)."""
    return " ".join(str(message).split())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn our own errors into one line on stderr and exit code.

    Args:
        argv: Arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The process exit code.
    """
    # Without a handler SIGTERM (kill, timeout, CI cancel) ends the process on
    # the spot and leaves a build's staging folder behind in the output folder.
    own_handler = threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    )
    if own_handler:
        signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return _run(argv)
    finally:
        if own_handler:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(argv: list[str] | None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KGError as err:
        click.echo(f"kg: error: {_one_line(err)}", err=True)
        return err.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt) as err:
        # Click turns Ctrl-C into Abort, keeping the interrupt as the cause.
        click.echo("kg: interrupted", err=True)
        terminated = isinstance(err, Terminated) or isinstance(err.__cause__, Terminated)
        return 128 + signal.SIGTERM if terminated else 128 + signal.SIGINT
    except click.UsageError as err:
        if type(err).__name__ == "NoArgsIsHelpError":  # bare `kg` (Click >= 8.2): help, not an error
            click.echo(err.ctx.get_help() if err.ctx else cli.get_help(click.Context(cli, info_name="kg")))
            return 0
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx else ""
        click.echo(f"kg: error: {_one_line(err.format_message())}{hint}", err=True)
        return err.exit_code
    except click.ClickException as err:
        click.echo(f"kg: error: {_one_line(err.format_message())}", err=True)
        return err.exit_code
    except click.exceptions.Exit as err:
        return err.exit_code
    except BrokenPipeError:  # `kg query ... | head`: the reader left, nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as err:  # a bug of ours: one line, the traceback only when asked for
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(
            f"kg: internal error: {type(err).__name__}: {_one_line(err)} (set KG_DEBUG=1 for the traceback)",
            err=True,
        )
        return 70
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
