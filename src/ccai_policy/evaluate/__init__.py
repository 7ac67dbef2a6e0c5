"""Evaluate a declaration: compile rules to CEL, derive facts, run them; waivers, baselines."""
