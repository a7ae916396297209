"""Synthetic case bundles with ground truth, for demos, tests and accuracy benchmarks."""

from __future__ import annotations

from casework.demo.bundle import GROUND_TRUTH, BundleReport, generate_bundle

__all__ = ["GROUND_TRUTH", "BundleReport", "generate_bundle"]
