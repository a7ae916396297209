"""National weeks of action: operations as data, force returns, validation, roll-ups."""
