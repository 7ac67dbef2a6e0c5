"""ccai-policy: check declarations of AI use in creative productions against CCAI policies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccai-policy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"
