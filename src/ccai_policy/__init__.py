"""ccai-policy: check declarations of AI use in creative productions against CCAI policies."""

#: The one place the version is written (pyproject.toml reads it through [tool.hatch.version]);
#: asking importlib.metadata instead costs ~0.05 s at every start.
__version__ = "0.1.0"
