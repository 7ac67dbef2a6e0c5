"""Tools for the people who write rules and declarations.

Lint, rule tests and mutation, the rule and field documents, starters and migration.
"""
