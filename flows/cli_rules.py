"""``sentinella rules``: read and check the rule set."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from flows.cli_output import console, print_json
from protocol.ruleset import RuleSet, load_rule_set

app = typer.Typer(help="Show or check the rule set (every number of the rulebook).", no_args_is_help=True)


def _as_dict(rules: RuleSet) -> dict:
    def convert(value):
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict) or hasattr(value, "items"):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, (frozenset, set)):
            return sorted(convert(v) for v in value)
        if isinstance(value, tuple):
            return [convert(v) for v in value]
        return value

    return convert(rules)


@app.command("show")
def show_command(
    file: Path | None = typer.Option(None, "--file", help="A rule file other than the packaged one."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Print the rule set in force, with its version and SHA-256."""
    rules = load_rule_set(path=file)
    if as_json:
        print_json(_as_dict(rules))
        return
    console.print(f"[bold]rule set {rules.version}[/] from {rules.source} (sha256 {rules.sha256[:12]}…)")
    for section, values in _as_dict(rules).items():
        if isinstance(values, dict):
            console.print(f"[bold]{section}[/]")
            for key, value in values.items():
                console.print(f"  {key} = {value}", highlight=False)


@app.command("check")
def check_command(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Validate a rule file; every problem is listed with its key (exit 2 if any)."""
    rules = load_rule_set(path=file)
    console.print(f"{file}: rule set {rules.version} is valid (sha256 {rules.sha256})")
