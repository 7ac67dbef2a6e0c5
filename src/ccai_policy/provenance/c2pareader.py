"""Read what the credentials rules need from a file's C2PA manifest, with c2pa-python, offline."""

from __future__ import annotations

import importlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Where IPTC digital source type terms live; manifests name them by full URI.
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
#: Training-and-data-mining assertions: CAWG 1.0, and C2PA 1.3's legacy label.
TRAINING_LABELS = ("cawg.training-mining", "c2pa.training-mining")
#: Validation codes that say nothing against the file: no trust list is configured here.
UNTRUSTED = "signingCredential.untrusted"


class Unavailable(Exception):
    """c2pa-python is not installed, or its native library does not load."""


class Unreadable(Exception):
    """The file exists but its Content Credentials cannot be read (type, damage, I/O)."""


@dataclass(frozen=True)
class Manifest:
    """The active manifest of an asset, reduced to what the rules check."""

    valid: bool
    failures: tuple[str, ...]
    signer: str
    source_types: tuple[str, ...]
    training_mining: dict[str, str] | None
    embedded: bool


def load_library() -> Any:
    """The c2pa module, or Unavailable with the reason."""
    try:
        return importlib.import_module("c2pa")
    except ImportError:
        raise Unavailable("c2pa-python is not installed") from None
    except Exception as exc:  # its native library failed to load or does not match
        raise Unavailable(f"c2pa-python cannot be loaded ({type(exc).__name__}: {exc})") from None


def _context(c2pa: Any) -> Any:
    """Reading settings: never fetch a remote manifest or certificate status (no network)."""
    settings = c2pa.Settings.from_dict(
        {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    )
    return c2pa.Context(settings)


def _source_types(assertions: list[dict[str, Any]]) -> tuple[str, ...]:
    found: list[str] = []
    for assertion in assertions:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for action in (assertion.get("data") or {}).get("actions") or []:
            term = str(action.get("digitalSourceType") or "")
            if term:
                found.append(term.removeprefix(IPTC).rstrip("/"))
    return tuple(dict.fromkeys(found))


def _training_mining(assertions: list[dict[str, Any]]) -> dict[str, str] | None:
    for assertion in assertions:
        if assertion.get("label") in TRAINING_LABELS:
            entries = (assertion.get("data") or {}).get("entries") or {}
            return {
                str(key).split(".", 1)[-1]: str((value or {}).get("use", ""))
                for key, value in entries.items()
            }
    return None


def _manifest(reader: Any, embedded: bool) -> Manifest:
    active = reader.get_active_manifest() or {}
    assertions = list(active.get("assertions") or [])
    results = reader.get_validation_results() or {}
    failures = [
        str(item.get("code"))
        for item in (results.get("activeManifest") or {}).get("failure") or []
        if item.get("code") != UNTRUSTED
    ]
    info = active.get("signature_info") or {}
    signer = ", ".join(str(info[k]) for k in ("common_name", "issuer") if info.get(k)) or "unknown"
    return Manifest(
        valid=reader.get_validation_state() != "Invalid" and not failures,
        failures=tuple(failures),
        signer=signer,
        source_types=_source_types(assertions),
        training_mining=_training_mining(assertions),
        embedded=embedded,
    )


#: A sidecar manifest holds claims, signatures and thumbnails: kilobytes to a few megabytes.
MAX_SIDECAR_BYTES = 64 * 1024 * 1024


def _bounded_read(sidecar: Path) -> bytes:
    """A sidecar's bytes, refusing one larger than MAX_SIDECAR_BYTES without reading it all."""
    with sidecar.open("rb") as handle:
        data = handle.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise Unreadable(
            f"the sidecar manifest {sidecar.name} is larger than "
            f"{MAX_SIDECAR_BYTES // (1024 * 1024)} MB"
        )
    return data


def read_manifest(path: Path, sidecar: Path | None = None) -> Manifest | None:
    """The file's manifest, embedded or in a local sidecar; None when it carries none."""
    c2pa = load_library()
    context = _context(c2pa)
    try:
        reader = c2pa.Reader.try_create(str(path), context=context)
        if reader is not None:
            with reader:
                return _manifest(reader, embedded=True)
        if sidecar is None or not sidecar.is_file():
            return None
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        manifest = _bounded_read(sidecar)
        with path.open("rb") as stream:
            reader = c2pa.Reader(mime, stream, manifest, context=context)
            with reader:
                return _manifest(reader, embedded=False)
    except c2pa.C2paError as exc:
        raise Unreadable(str(exc).strip() or type(exc).__name__) from None
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
