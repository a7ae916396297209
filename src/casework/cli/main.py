"""Entry point of the `casework` command and its error handling."""

from __future__ import annotations

import logging
import sys

import typer

from casework.cli.acting import ACTING_ENV, set_acting_user
from casework.errors import CaseworkError

app = typer.Typer(
    name="casework",
    help="Casework: case files, redaction and the justice journey, on your own machine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state = {"debug": False}


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs."),
    as_user: str | None = typer.Option(
        None,
        "--as",
        envvar=ACTING_ENV,
        help="The Casework user who acts, recorded in the audit log (default: your login "
        "name, as an operator).",
    ),
) -> None:
    """Casework command line."""
    _state["debug"] = debug
    set_acting_user(as_user)
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)


def _register_commands() -> None:
    """Attach every command module; each one adds its commands to ``app``."""
    # Importing a command module registers its commands on ``app``.
    import casework.cli.audit
    import casework.cli.serve
    import casework.cli.users  # noqa: F401 (each import registers its commands)
    from casework.cli import (  # noqa: F401
        backup,
        cases,
        demo,
        demo_data,
        dfr,
        documents,
        dogs,
        exports,
        jobs,
        language,
        metrics,
        missing,
        network,
        operations,
        referrals,
        rules,
        timeline_propose,
        victim_cps,
        worker,
    )


def run() -> None:
    """Run the CLI: CaseworkError becomes a message on stderr and its exit code."""
    _register_commands()
    debug = "--debug" in sys.argv[1:]
    try:
        app()  # standalone: usage errors print and exit 2
    except CaseworkError as error:
        if debug:
            raise
        typer.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except Exception as error:  # a bug: never a traceback for users unless --debug
        if debug:
            raise
        typer.echo(f"error: unexpected failure: {error} (rerun with --debug for details)", err=True)
        sys.exit(1)
