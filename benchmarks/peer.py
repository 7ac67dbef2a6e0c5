"""The Rego peers of the benchmark: the six rules of benchmarks/rego/six_rules.rego over the same
files, in a process of their own, each file parsed with PyYAML's C loader and handed over as JSON.

Run with an interpreter where the peer is installed (`make bench-peers` makes .venv-peers):
`python benchmarks/peer.py ENGINE AS_OF FILE...` prints, as JSON, each file's outcome per rule,
as of the date AS_OF (YYYY-MM-DD, as `check --as-of`; the policy reads it as data.as_of). ENGINE
is `opa` (opa-golib-python-bindings: OPA's Go engine in-process; needs Python 3.14) or `regorus`
(the Rust Rego interpreter, package gordon-to-regorus). Only PyYAML and the engine are imported.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

POLICY = Path(__file__).resolve().parent / "rego" / "six_rules.rego"
ENGINES = {"opa": "opa_bindings", "regorus": "regorus"}


def _rfc3339(value: object) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    raise TypeError(f"cannot hand {type(value).__name__} to Rego")


def _evaluator(engine: str, as_of: str) -> Any:
    policy = POLICY.read_text(encoding="utf-8")
    given = {"as_of": dt.date.fromisoformat(as_of).isoformat()}
    if engine == "opa":
        from opa_bindings import OpaEngine  # type: ignore[import-not-found]

        opa = OpaEngine()
        opa.add_policy(POLICY.name, policy)
        opa.add_data(given)
        return lambda text: opa.eval_document("ccai.results", json.loads(text))
    import regorus  # type: ignore[import-not-found]

    rego = regorus.Engine()
    rego.add_policy(POLICY.name, policy)
    rego.add_data_json(json.dumps(given))

    def run(text: str) -> Any:
        rego.set_input_json(text)
        answer = json.loads(rego.eval_query_as_json("data.ccai.results"))
        return answer["result"][0]["expressions"][0]["value"]

    return run


def main(argv: list[str]) -> int:
    engine, as_of, *files = argv
    evaluate = _evaluator(engine, as_of)
    out = {}
    for name in files:
        data = yaml.load(Path(name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        out[name] = evaluate(json.dumps(data, default=_rfc3339))
        del data
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
