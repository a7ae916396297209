"""Casework: a self-hosted workbench for policing in England and Wales."""

__version__ = "0.1.0"
