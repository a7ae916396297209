#!/usr/bin/env bash
# Create .venv and install Casework with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev,ocr]"
bash scripts/vendor.sh  # the web's pinned front-end files (committed; fetched only if missing)
echo "Casework installed in .venv (run .venv/bin/casework --help)"
