"""Versioned rule data (JSON, read with the standard library) shipped inside the package."""
