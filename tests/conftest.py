"""Shared fixtures. Factories live in tests/factories.py."""

from __future__ import annotations
