"""Find and load the project configuration, and turn it into the commands' default options."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccai_policy.errors import CcaiError, Location

if TYPE_CHECKING:  # loaded only when a configuration exists: cold starts stay fast
    from ccai_policy.load.loader import Document
    from ccai_policy.model.config import Config

FILE_NAME = ".ccai-policy.yaml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.ccai-policy"
#: The most of a TOML configuration read: the limit every other input file has (10 MiB).
MAX_TOML_BYTES = 10 * 1024 * 1024


class ConfigError(CcaiError):
    """The configuration file cannot be read or does not match its format."""

    kind = "config"


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    path: Path


def _relative(base: Path, value: str) -> str:
    """A path of the configuration, as seen from the working directory."""
    if os.path.isabs(value):
        return value
    return os.path.normpath(base / value)


def find_config(explicit: Path | None = None, directory: Path | None = None) -> Path | None:
    """The configuration in force: the one given, else `.ccai-policy.yaml`, else a
    pyproject.toml with a [tool.ccai-policy] table, in the working directory."""
    if explicit is not None:
        return explicit
    here = directory or Path(".")
    if (here / FILE_NAME).is_file():
        return here / FILE_NAME
    pyproject = here / PYPROJECT
    if pyproject.is_file():
        try:  # the table is looked for in the first MAX_TOML_BYTES; load_config refuses more
            with pyproject.open("rb") as handle:
                text = handle.read(MAX_TOML_BYTES).decode("utf-8", errors="replace")
        except OSError:
            return None
        if re.search(rf"^\[{re.escape(TABLE)}\]", text, re.MULTILINE):
            return pyproject
    return None


def load_config(path: Path) -> LoadedConfig:
    """Load and validate a configuration file (YAML, or a pyproject.toml's table)."""
    from ccai_policy.load.loader import load_file
    from ccai_policy.load.validation import validate_model
    from ccai_policy.model.config import Config

    shown = str(path)
    if not path.is_file():
        raise ConfigError(
            "configuration file does not exist", Location(shown), "give an existing file"
        )
    if path.name == PYPROJECT or path.suffix == ".toml":
        document = _toml_document(path)
    else:
        document = load_file(path, display=shown)
    return LoadedConfig(validate_model(Config, document, what="configuration"), path)


def _toml_document(path: Path) -> Document:
    import tomllib  # only a pyproject.toml configuration needs it (~10 ms of every cold start)

    from ccai_policy.load.loader import Document

    shown = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TOML_BYTES + 1)
        if len(raw) > MAX_TOML_BYTES:
            raise ConfigError(
                f"file is over the limit of {MAX_TOML_BYTES:,} bytes",
                Location(shown),
                "keep the configuration in a small .ccai-policy.yaml or pyproject.toml",
            )
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", Location(shown)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", Location(shown), "fix the TOML syntax") from None
    table: Any = data
    for key in TABLE.split("."):
        table = table.get(key, {}) if isinstance(table, dict) else {}
    header = re.search(rf"^\[{re.escape(TABLE)}\]", text, re.MULTILINE)
    line = text.count("\n", 0, header.start()) + 1 if header else 1
    # Positions are known for the table only: every problem points at its header.
    return Document(shown, table, "", {"": (line, 1)})


def default_map(loaded: LoadedConfig) -> dict[str, Any]:
    """click's default_map: each command's options as the configuration sets them."""
    config = loaded.config
    base = loaded.path.parent

    def paths(values: list[str]) -> list[str]:
        return [_relative(base, v) for v in values]

    def policy(value: str | None) -> str | None:
        """A policy file is relative to the configuration; a bundled id stays as it is."""
        if value is None or not (value.endswith((".yaml", ".yml")) or "/" in value):
            return value
        return _relative(base, value)

    sources: dict[str, Any] = {"bundled_rules": config.bundled_rules}
    if config.rules:
        sources["rule_folders"] = paths(config.rules)
    chosen = {"policy_ref": policy(config.policy)} if config.policy else {}
    documented = {"policy_refs": [policy(config.policy)]} if config.policy else {}
    check: dict[str, Any] = {**sources, **chosen}
    for name, value in (
        ("paths", paths(config.paths)),
        ("waiver_files", paths(config.waivers)),
        ("evidence_roots", paths(config.evidence_roots)),
        ("include", config.include),
        ("exclude", config.exclude),
    ):
        if value:
            check[name] = value
    if config.baseline:
        check["baseline_file"] = _relative(base, config.baseline)
    if config.fail_on:
        check["fail_on"] = config.fail_on
    diff = {k: v for k, v in check.items() if k in {*sources, "policy_ref", "waiver_files"}}
    if config.fail_on:
        diff["fail_on"] = config.fail_on
    return {
        "check": check,
        "diff": diff,
        "explain": {**sources, **documented},
        "rules": {
            "list": sources,
            "show": sources,
            "lint": sources,
            "test": sources,
            "docs": {**sources, **documented},
        },
        "policies": {"list": sources, "show": sources},
    }
