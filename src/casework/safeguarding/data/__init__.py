"""Data files of the safeguarding services (rule packs, mappings)."""
