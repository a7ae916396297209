"""The `casework` command: parse, call a service, print. No business rules here."""
