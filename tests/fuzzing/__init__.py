"""Hypothesis strategies for fuzzing ccai-policy with declarations, corrupted ones and YAML text."""
