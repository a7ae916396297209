"""Find personal data in text: a registry of recognizers and one engine that runs them all."""
