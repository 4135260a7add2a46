"""Every deployment in prefect.yaml loads: its entry point is a Prefect flow with typed parameters,
and the parameters the deployment sets (none, for dates: "today in Rome") satisfy the flow."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
DEPLOYMENTS = {deployment["name"]: deployment for deployment in PROJECT["deployments"]}

# name -> (entry point, flow name, declared parameters as their JSON-schema types)
EXPECTED = {
    "daily-cycle": ("flows/daily.py:daily", "daily-cycle",
                    {"as_of": {"date", "null"}, "database_url": {"string", "null"}}),
    "weekly-audit-draw": ("flows/weekly.py:weekly_audit_draw", "weekly-audit-draw",
                          {"as_of": {"date", "null"}, "database_url": {"string", "null"}}),
    "monthly-scorecards": ("flows/monthly.py:monthly_scorecards", "monthly-scorecards",
                           {"month": {"string", "null"}, "database_url": {"string", "null"}}),
    "monitoring-report": ("flows/reports/flow.py:monitoring_report", "monitoring-report",
                          {"period_end": {"date", "null"}, "months": {"integer"}}),
}


def _types(prop: dict) -> set[str]:
    """A property's types, a date or a date-time counted by its format: ``{"date", "null"}``."""
    variants = prop.get("anyOf", [prop])
    return {variant.get("format", variant.get("type")) for variant in variants}


def _load(entrypoint: str):
    from prefect.flows import load_flow_from_entrypoint

    path = ROOT / entrypoint.split(":")[0]
    if not path.exists() and entrypoint == EXPECTED["monitoring-report"][0]:
        pytest.skip(f"{path.relative_to(ROOT)} is not written yet (the monitoring report is in progress)")
    return load_flow_from_entrypoint(f"{ROOT}/{entrypoint}")


def test_prefect_yaml_declares_the_four_scheduled_deployments_on_the_process_pool():
    assert set(DEPLOYMENTS) == set(EXPECTED)
    assert PROJECT["pull"] == [{"prefect.deployments.steps.set_working_directory":
                                {"directory": "{{ $SENTINELLA_HOME }}"}}]
    for name, deployment in DEPLOYMENTS.items():
        assert deployment["entrypoint"] == EXPECTED[name][0]
        assert deployment["work_pool"]["name"] == "sentinella-process", name
        [schedule] = deployment["schedules"]
        assert schedule["timezone"] == "Europe/Rome" and len(schedule["cron"].split()) == 5, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_entry_point_is_a_flow_whose_parameter_form_has_the_declared_types(name):
    from prefect import Flow

    entrypoint, flow_name, declared = EXPECTED[name]
    loaded = _load(entrypoint)
    assert isinstance(loaded, Flow) and loaded.name == flow_name
    properties = loaded.parameters.model_dump()["properties"]
    for parameter, types in declared.items():
        assert parameter in properties, f"{name}: no parameter {parameter!r}"
        assert _types(properties[parameter]) == types, f"{name}.{parameter}: {properties[parameter]}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_deployments_parameters_are_enough_for_a_scheduled_run_of_its_flow(name):
    """A scheduled run gets only the deployment's parameters: they must satisfy the signature."""
    loaded = _load(EXPECTED[name][0])
    parameters = DEPLOYMENTS[name].get("parameters") or {}
    validated = loaded.validate_parameters(dict(parameters))
    assert set(parameters) <= set(validated)
    dates = [p for p, types in EXPECTED[name][2].items() if "date" in types]
    assert all(validated[p] is None for p in dates if p not in parameters), "dates default to today at the entry"


def test_a_deployment_parameter_of_the_wrong_type_is_refused():
    from prefect.exceptions import ParameterTypeError

    loaded = _load(EXPECTED["weekly-audit-draw"][0])
    with pytest.raises(ParameterTypeError):
        loaded.validate_parameters({"as_of": "not a date"})
