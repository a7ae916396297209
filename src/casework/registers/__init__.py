"""Registers kept to a national standard: the police dog register and its compliance rules."""
