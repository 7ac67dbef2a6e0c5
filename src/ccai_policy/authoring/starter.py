"""Write a commented starter declaration for a production type, never over an existing file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ccai_policy.errors import Location, UsageProblem
from ccai_policy.paths import display_path

#: The production types that have a starter, in the order `--help` lists them.
STARTER_TYPES = ("film", "series", "game", "commercial")
#: Where `init` writes when no path is given: the directory `check` and the pre-commit hook use.
DEFAULT_PATH = Path("declarations") / "ai-use.yaml"
#: The declaration schema `init` writes beside the starter, and the line naming it for editors.
SCHEMA_FILE = "declaration.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"


def starter_text(production_type: str) -> str:
    """The commented starter declaration shipped in the package for a production type."""
    if production_type not in STARTER_TYPES:
        raise UsageProblem(
            f"no starter for production type {production_type!r}",
            hint=f"choose one of {', '.join(STARTER_TYPES)}",
        )
    starter = resources.files("ccai_policy").joinpath("starters", f"{production_type}.yaml")
    return MODELINE + starter.read_text(encoding="utf-8")


def target_path(path: Path | None) -> Path:
    """The file to write: the default, the path given, or the default name inside a directory."""
    if path is None:
        return DEFAULT_PATH
    if path.is_dir():
        return path / DEFAULT_PATH.name
    return path


def write_starter(path: Path | None, production_type: str) -> Path:
    """Write the starter and return where; an existing file is an error, never overwritten."""
    target = target_path(path)
    text = starter_text(production_type)
    shown = display_path(target)
    if target.exists() or target.is_symlink():
        raise UsageProblem(
            "already exists; init never overwrites a file",
            Location(shown),
            "give another path, or move the existing file away first",
        )
    if target.suffix not in (".yaml", ".yml"):
        raise UsageProblem(
            "a declaration file must end in .yaml or .yml, or check will not find it",
            Location(shown),
            f"for example {target.with_suffix('.yaml')}",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageProblem(
            "already exists; init never overwrites a file",
            Location(shown),
            "give another path, or move the existing file away first",
        ) from None
    except OSError as exc:
        raise UsageProblem(
            f"cannot write the starter: {exc.strerror or exc}",
            Location(shown),
            "choose a writable path",
        ) from None
    return target


def write_schema_beside(declaration: Path) -> tuple[Path, bool]:
    """Write the declaration schema the starter's modeline names, next to it, unless a file of
    that name is there already; (its path, whether it was written)."""
    from ccai_policy.model.schemas import generate

    path = declaration.parent / SCHEMA_FILE
    text = generate("declaration")
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        return path, False
    except OSError as exc:
        raise UsageProblem(
            f"cannot write the schema: {exc.strerror or exc}",
            Location(display_path(path)),
            "choose a writable path",
        ) from None
    return path, True
