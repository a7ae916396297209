"""`python -m casework` runs the command line."""

from casework.cli.main import run

run()
