"""The rule catalog as documents: Markdown for the repository, HTML to browse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ccai_policy.model.grading import CRITERIA, CRITERION_TITLES
from ccai_policy.model.use_categories import CATEGORY_DEFINITIONS
from ccai_policy.policy.catalog import (
    LoadedRule,
    ResolvedPolicy,
    RuleSources,
    bundled_policies,
    data_dir,
    find_policy,
    load_catalog,
    load_policy,
    policy_rule_dirs,
)
from ccai_policy.report.markdown import environment as markdown_environment
from ccai_policy.report.templating import template_environment


@dataclass(frozen=True)
class CatalogEntry:
    loaded: LoadedRule
    policies: list[str]
    mandatory_in: list[str]

    @property
    def rule(self) -> Any:
        return self.loaded.rule


def _environment() -> jinja2.Environment:
    return template_environment(
        str(data_dir("templates")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
    )


def _patch_yaml(patch: Any) -> str:
    return yaml.safe_dump(patch, sort_keys=False, allow_unicode=True, width=88).rstrip()


def catalog(
    policies: list[ResolvedPolicy], others: Sequence[LoadedRule] = ()
) -> dict[str, list[CatalogEntry]]:
    """Every rule of the given policies and of `others`, by criterion, with the policies that
    include each."""
    rules: dict[str, LoadedRule] = {r.rule.id: r for r in others}
    for policy in policies:
        for loaded in policy.rules:
            rules[loaded.rule.id] = loaded
    by_criterion: dict[str, list[CatalogEntry]] = {c: [] for c in CRITERIA}
    for rule_id in sorted(rules):
        loaded = rules[rule_id]
        including = sorted(
            p.policy.id for p in policies if any(r.rule.id == rule_id for r in p.rules)
        )
        mandatory = sorted(p.policy.id for p in policies if rule_id in p.mandatory)
        by_criterion[loaded.rule.criterion].append(CatalogEntry(loaded, including, mandatory))
    return by_criterion


def bundled_catalog() -> dict[str, list[CatalogEntry]]:
    return sources_catalog(RuleSources())


def sources_catalog(
    sources: RuleSources, policy_refs: tuple[str, ...] = ()
) -> dict[str, list[CatalogEntry]]:
    """Every rule of the sources and of the policies named, beside the bundled policies.

    With the bundled rules left out, the bundled policies (which select them) are too.
    """
    refs = list(
        dict.fromkeys([*(sorted(bundled_policies()) if sources.bundled else []), *policy_refs])
    )
    folders = [folder for ref in policy_refs for folder in policy_rule_dirs(find_policy(ref))]
    everything = load_catalog(sources.adding(folders))
    return catalog([load_policy(ref, sources) for ref in refs], everything)


def render(by_criterion: dict[str, list[CatalogEntry]], template: str) -> str:
    # Markdown goes through the reports' Markdown environment: the one escaper of that language.
    env = (
        markdown_environment(str(data_dir("templates")))
        if template.endswith(".md.j2")
        else (_environment())
    )
    env.filters["patch_yaml"] = _patch_yaml
    count = sum(len(entries) for entries in by_criterion.values())
    return env.get_template(template).render(
        by_criterion=by_criterion, titles=CRITERION_TITLES, count=count
    )


def render_markdown(by_criterion: dict[str, list[CatalogEntry]]) -> str:
    return render(by_criterion, "catalog.md.j2")


def render_html(by_criterion: dict[str, list[CatalogEntry]]) -> str:
    return render(by_criterion, "catalog.html.j2")


def outputs(directory: Path, by_criterion: dict[str, list[CatalogEntry]]) -> dict[Path, str]:
    """The files `rules docs --out DIR` writes."""
    return {
        directory / "rules.md": render_markdown(by_criterion),
        directory / "index.html": render_html(by_criterion),
    }


#: Where the generated tables sit in rules/README.md: between these markers.
README_MARKERS = {
    "categories": ("<!-- categories: generated -->", "<!-- categories: end -->"),
    "switches": ("<!-- switches: generated -->", "<!-- switches: end -->"),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def category_table() -> str:
    """Each use category and what it means, from the declaration model."""
    rows = ["| category | what it is |", "|---|---|"]
    rows += [f"| `{k}` | {_cell(v)} |" for k, v in CATEGORY_DEFINITIONS.items()]
    return "\n".join(rows)


def switches_table(rules: list[LoadedRule]) -> str:
    """Per rule: the agreement versions, when it is in force, and the facts that switch it off."""
    rows = [
        "| rule | agreement versions | in force | switched off by | when that fact is unknown |",
        "|---|---|---|---|---|",
    ]
    for loaded in sorted(rules, key=lambda r: r.rule.id):
        rule = loaded.rule
        windows = "; ".join(
            w.obligation
            + (f", from {w.from_}" if w.from_ else "")
            + (f" until {w.until}" if w.until else "")
            + (f" (term ends {w.term_ends})" if w.term_ends else "")
            + (f", by {w.of}" if w.from_ and (w.date or w.dates) else "")
            for w in rule.effective
        )
        off = "; ".join(f"`{n.field}`: {n.off_when}" for n in rule.needs_information)
        unknown = (
            "fails: needs information" if rule.needs_information else "no switch to leave unknown"
        )
        rows.append(
            f"| {rule.id} | {', '.join(rule.agreements) or 'any'} | {_cell(windows) or 'none'} "
            f"| {_cell(off) or '—'} | {unknown} |"
        )
    return "\n".join(rows)


def readme_tables(rules: list[LoadedRule]) -> dict[str, str]:
    return {"categories": category_table(), "switches": switches_table(rules)}


def with_tables(readme: str, rules: list[LoadedRule]) -> str:
    """rules/README.md with its generated tables brought up to date."""
    for name, table in readme_tables(rules).items():
        start, end = README_MARKERS[name]
        before, _, rest = readme.partition(start)
        _, _, after = rest.partition(end)
        readme = f"{before}{start}\n{table}\n{end}{after}"
    return readme


def update_readme(path: Path | None = None) -> None:
    """Rewrite the generated tables of rules/README.md from the bundled rules."""
    from ccai_policy.policy.catalog import load_rules

    target = path or data_dir("rules") / "README.md"
    rules = load_rules(data_dir("rules"))
    target.write_text(with_tables(target.read_text(encoding="utf-8"), rules), encoding="utf-8")
