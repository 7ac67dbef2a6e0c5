"""Content Credentials: built-in rules on real C2PA manifests, signed here with a throwaway CA.

The signing tests need the extra (`pip install 'ccai-policy[c2pa]'`: c2pa-python) and the
`cryptography` package; without them they are skipped and say why. The test of the missing
extra runs everywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from .conftest import AS_OF
from .ecosystem import DATA, POLICY, RULES

RunCli = Callable[..., Result]
DECL = DATA / "credentials" / "decl.yaml"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
CREDENTIAL_RULES = ("TRANSP-C2PA-MANIFEST-001", "TRANSP-C2PA-SOURCE-001", "TRANSP-C2PA-TDM-001")


def png(width: int = 16, height: int = 16) -> bytes:
    """A small RGB PNG, made here so that no binary is shipped."""
    rows = b"".join(
        b"\x00" + b"".join(bytes([x * 16 % 256, y * 16 % 256, 96]) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Signer:
    """A throwaway certificate authority and signing certificate, and a C2PA signer."""

    def __init__(self) -> None:
        c2pa = pytest.importorskip(
            "c2pa", reason="needs the extra: pip install 'ccai-policy[c2pa]'"
        )
        x509 = pytest.importorskip("cryptography.x509", reason="needs the cryptography package")
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        def name(common: str) -> Any:
            return x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, common),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ccai-policy tests"),
                ]
            )

        def usage(signs: bool, certs: bool) -> Any:
            return x509.KeyUsage(signs, False, False, False, False, certs, certs, False, False)

        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        ca_key, key = (
            ec.generate_private_key(ec.SECP256R1()),
            ec.generate_private_key(ec.SECP256R1()),
        )
        ca_name = name("Throwaway test CA")
        ca = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(usage(signs=False, certs=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
            .sign(ca_key, hashes.SHA256())
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(name("Throwaway signer"))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(signs=True, certs=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        self.chain = cert.public_bytes(pem) + ca.public_bytes(pem)
        self.key = key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.c2pa = c2pa

    def sign(
        self,
        target: Path,
        source_type: str | None,
        training: dict[str, str] | None = None,
        sidecar: Path | None = None,
    ) -> None:
        """Write a signed PNG (or a plain one and its sidecar manifest)."""
        action: dict[str, Any] = {"action": "c2pa.created"}
        if source_type:
            action["digitalSourceType"] = IPTC + source_type
        assertions: list[dict[str, Any]] = [
            {"label": "c2pa.actions", "data": {"actions": [action]}}
        ]
        if training is not None:
            entries = {f"cawg.{k}": {"use": v} for k, v in training.items()}
            assertions.append({"label": "cawg.training-mining", "data": {"entries": entries}})
        manifest = {
            "claim_generator_info": [{"name": "ccai-policy tests", "version": "1"}],
            "title": target.name,
            "assertions": assertions,
        }
        if source_type is None:
            manifest["claim_version"] = 1  # version 2 claims require a digitalSourceType
        c2pa = self.c2pa
        signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, self.chain, self.key, None)
        )
        builder = c2pa.Builder(manifest)
        if sidecar is not None:
            builder.set_no_embed()
        output = io.BytesIO()
        data = builder.sign(signer, "image/png", io.BytesIO(png()), output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.getvalue())
        if sidecar is not None:
            sidecar.write_bytes(data)


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


@pytest.fixture
def production(tmp_path: Path) -> Path:
    shutil.copy(DECL, tmp_path / "decl.yaml")
    return tmp_path


def check(run_cli: RunCli, folder: Path, *extra: str) -> tuple[Result, dict[str, list[Any]]]:
    """Run check with the credentials rules; the text output and the findings by rule."""
    args = [
        "check",
        str(folder / "decl.yaml"),
        "--no-bundled-rules",
        "--rules",
        str(RULES),
        "--as-of",
        AS_OF,
    ]
    args += ["--policy", str(POLICY), "--verify-credentials", *extra]
    text = run_cli(*args)
    data = json.loads(run_cli(*args, "--format", "json").output)
    by_rule: dict[str, list[Any]] = {r: [] for r in CREDENTIAL_RULES}
    for finding in data["declarations"][0]["findings"]:
        if finding["rule_id"] in by_rule:
            by_rule[finding["rule_id"]].append(finding)
    return text, by_rule


def statuses(by_rule: dict[str, list[Any]]) -> dict[str, list[str]]:
    return {rule: [f["status"] for f in found] for rule, found in by_rule.items()}


def test_files_signed_as_declared_pass(run_cli: RunCli, signer: Signer, production: Path) -> None:
    frames = production / "frames"
    signer.sign(frames / "matte.png", "trainedAlgorithmicMedia", {"ai_training": "notAllowed"})
    signer.sign(frames / "still.png", "trainedAlgorithmicMedia")
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 0, text.output
    assert statuses(by_rule) == {rule: ["pass"] for rule in CREDENTIAL_RULES}
    assert by_rule["TRANSP-C2PA-MANIFEST-001"][0]["message"] == (
        "passed: Every asset file the declaration names carries valid Content Credentials "
        "(2 checked)"
    )
    assert by_rule["TRANSP-C2PA-TDM-001"][0]["message"].endswith("(1 checked)")


def test_a_file_without_credentials_fails_at_its_path_line(
    run_cli: RunCli, signer: Signer, production: Path
) -> None:
    signer.sign(
        production / "frames" / "matte.png",
        "trainedAlgorithmicMedia",
        {"ai_training": "notAllowed"},
    )
    (production / "frames" / "still.png").write_bytes(png())
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 1
    line = (production / "decl.yaml").read_text().splitlines().index(
        "    path: frames/still.png"
    ) + 1
    assert (
        f"decl.yaml:{line}:5: FAIL TRANSP-C2PA-MANIFEST-001 [high] a-still (Publicity still): "
        "frames/still.png carries no Content Credentials"
    ) in text.output
    assert statuses(by_rule)["TRANSP-C2PA-SOURCE-001"] == ["pass"]


def test_a_different_source_type_fails(run_cli: RunCli, signer: Signer, production: Path) -> None:
    signer.sign(
        production / "frames" / "matte.png", "digitalCapture", {"ai_training": "notAllowed"}
    )
    signer.sign(production / "frames" / "still.png", None)
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 1
    messages = [f["message"] for f in by_rule["TRANSP-C2PA-SOURCE-001"]]
    assert messages == [
        "a-matte: the Content Credentials of frames/matte.png say digitalCapture; the "
        "declaration says trainedAlgorithmicMedia",
        "a-still: the Content Credentials of frames/still.png state no digital source type; "
        "the declaration says trainedAlgorithmicMedia",
    ]


def test_a_tampered_file_does_not_validate(
    run_cli: RunCli, signer: Signer, production: Path
) -> None:
    frames = production / "frames"
    signer.sign(frames / "matte.png", "trainedAlgorithmicMedia", {"ai_training": "notAllowed"})
    signer.sign(frames / "still.png", "trainedAlgorithmicMedia")
    data = bytearray((frames / "still.png").read_bytes())
    data[data.index(b"IDAT") + 12] ^= 0xFF
    (frames / "still.png").write_bytes(bytes(data))
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 1
    [failure] = by_rule["TRANSP-C2PA-MANIFEST-001"]
    assert failure["message"] == (
        "a-still: the Content Credentials of frames/still.png do not validate "
        "(assertion.dataHash.mismatch)"
    )


@pytest.mark.parametrize(
    ("training", "message"),
    [
        (
            None,
            "a-matte: frames/matte.png carries no training-and-data-mining assertion; the "
            "declaration states ai_training: notAllowed",
        ),
        (
            {"ai_training": "allowed"},
            "a-matte: the training-and-data-mining terms of frames/matte.png differ: "
            "ai_training: the file says allowed, the declaration notAllowed",
        ),
    ],
    ids=["missing", "different"],
)
def test_declared_training_terms_must_be_in_the_file(
    run_cli: RunCli,
    signer: Signer,
    production: Path,
    training: dict[str, str] | None,
    message: str,
) -> None:
    signer.sign(production / "frames" / "matte.png", "trainedAlgorithmicMedia", training)
    signer.sign(production / "frames" / "still.png", "trainedAlgorithmicMedia")
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 0  # medium, below the policy's threshold
    assert [f["message"] for f in by_rule["TRANSP-C2PA-TDM-001"]] == [message]
    assert f"FAIL TRANSP-C2PA-TDM-001 [medium] {message}" in text.output


def test_a_policy_can_require_training_terms_on_every_file(
    run_cli: RunCli, signer: Signer, production: Path
) -> None:
    signer.sign(
        production / "frames" / "matte.png",
        "trainedAlgorithmicMedia",
        {"ai_training": "notAllowed"},
    )
    signer.sign(production / "frames" / "still.png", "trainedAlgorithmicMedia")
    strict = production / "strict.yaml"
    strict.write_text(
        "id: eco-strict\nversion: '1'\ntitle: Strict\nfail_on: medium\n"
        "params: {c2pa_require_training_mining: true}\n",
        encoding="utf-8",
    )
    text, by_rule = check(run_cli, production, "--policy", str(strict))
    assert text.exit_code == 1
    assert [f["message"] for f in by_rule["TRANSP-C2PA-TDM-001"]] == [
        "a-still: frames/still.png carries no training-and-data-mining assertion; "
        "the policy requires one"
    ]


def test_a_sidecar_manifest_is_read_when_nothing_is_embedded(
    run_cli: RunCli, signer: Signer, production: Path
) -> None:
    frames = production / "frames"
    signer.sign(
        frames / "matte.png",
        "trainedAlgorithmicMedia",
        {"ai_training": "notAllowed"},
        sidecar=frames / "matte.c2pa",
    )
    assert (frames / "matte.png").read_bytes() == png()  # nothing embedded
    signer.sign(frames / "still.png", "trainedAlgorithmicMedia")
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 0, text.output
    assert statuses(by_rule) == {rule: ["pass"] for rule in CREDENTIAL_RULES}


def test_a_huge_sidecar_is_refused_without_being_read(
    run_cli: RunCli, signer: Signer, production: Path
) -> None:
    frames = production / "frames"
    frames.mkdir()
    (frames / "matte.png").write_bytes(png())
    with (frames / "matte.c2pa").open("wb") as sparse:
        sparse.truncate(6 * 1024**3)  # 6 GiB that takes no disk: read whole, a MemoryError
    signer.sign(frames / "still.png", "trainedAlgorithmicMedia")
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 1, text.output
    messages = [f["message"] for f in by_rule["TRANSP-C2PA-MANIFEST-001"] if f["status"] == "fail"]
    assert messages == [
        "a-matte: cannot read frames/matte.png: the sidecar manifest matte.c2pa is larger than "
        "64 MB, so its Content Credentials cannot be checked"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("still.png", None, "a-still: the file frames/still.png does not exist"),
        ("still.png", b"not a picture", "a-still: cannot read frames/still.png: "),
    ],
    ids=["missing", "unreadable"],
)
def test_missing_and_unreadable_files_fail(
    run_cli: RunCli,
    signer: Signer,
    production: Path,
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    signer.sign(
        production / "frames" / "matte.png",
        "trainedAlgorithmicMedia",
        {"ai_training": "notAllowed"},
    )
    if content is not None:
        (production / "frames" / name).write_bytes(content)
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 1
    [failure] = by_rule["TRANSP-C2PA-MANIFEST-001"]
    assert failure["message"].startswith(message)
    assert failure["message"].endswith("so its Content Credentials cannot be checked")


def test_without_the_extra_the_rules_say_they_need_it(
    run_cli: RunCli, production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "c2pa", None)  # import c2pa now fails, as when not installed
    (production / "frames").mkdir()
    (production / "frames" / "matte.png").write_bytes(png())
    text, by_rule = check(run_cli, production)
    assert text.exit_code == 0
    expected = (
        "cannot check 2 asset file(s): c2pa-python is not installed; install the optional "
        "extra: pip install 'ccai-policy[c2pa]'"
    )
    for rule in CREDENTIAL_RULES:
        assert [(f["status"], f["message"]) for f in by_rule[rule]] == [
            ("not_applicable", expected)
        ]


def test_the_rules_run_only_when_asked(run_cli: RunCli, production: Path) -> None:
    args = [
        "check",
        str(production / "decl.yaml"),
        "--no-bundled-rules",
        "--rules",
        str(RULES),
        "--policy",
        str(POLICY),
    ]
    data = json.loads(run_cli(*args, "--as-of", AS_OF, "--format", "json").output)
    assert not {r["id"] for r in data["rules"]} & set(CREDENTIAL_RULES)
    described = json.loads(
        run_cli(*args, "--as-of", AS_OF, "--format", "json", "--verify-credentials").output
    )
    infos = {r["id"]: r for r in described["rules"]}
    assert infos["TRANSP-C2PA-SOURCE-001"]["criterion"] == "transparency"
    assert "built-in" in infos["TRANSP-C2PA-MANIFEST-001"]["tags"]
