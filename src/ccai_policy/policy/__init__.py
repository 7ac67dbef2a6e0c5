"""Rules and policies: find, load and compose them, and the one registry of built-in rules."""
