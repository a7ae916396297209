"""Long work with progress: a bundle of documents read, searched and redacted on every core."""
