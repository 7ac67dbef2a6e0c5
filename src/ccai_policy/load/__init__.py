"""Load input files: located, safe YAML and bounded JSON, validated into the models.

Validation messages are written for the person who wrote the file: what is wrong, and the fix.
"""
