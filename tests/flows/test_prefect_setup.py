"""The CLI's Prefect settings: heartbeats and the ephemeral API's recorders off only without a server."""

from __future__ import annotations

import os

import pytest

from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from flows.prefect_setup import configure_prefect, in_process_run_settings

SERVICES = ("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED")


@pytest.fixture(autouse=True)
def own_environment(monkeypatch):
    """``configure_prefect`` writes defaults into the environment: give it a copy to write in."""
    monkeypatch.setattr(os, "environ", dict(os.environ))


def test_without_a_server_flow_runs_started_by_the_cli_send_no_heartbeats():
    with temporary_settings(updates={PREFECT_API_URL: None}):
        configured = get_current_settings().flows.heartbeat_frequency
        with in_process_run_settings():
            assert get_current_settings().flows.heartbeat_frequency is None
        assert get_current_settings().flows.heartbeat_frequency == configured


def test_against_a_server_heartbeats_stay_as_configured():
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        configured = get_current_settings().flows.heartbeat_frequency
        assert configured is not None
        with in_process_run_settings():
            assert get_current_settings().flows.heartbeat_frequency == configured


def test_the_ephemeral_api_runs_without_its_recorders(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for name in SERVICES:
        monkeypatch.delenv(name, raising=False)
    with temporary_settings(updates={PREFECT_API_URL: None}):
        configure_prefect()
    assert all(os.environ[name] == "false" for name in SERVICES)


def test_a_server_keeps_its_recorders(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    for name in SERVICES:
        monkeypatch.delenv(name, raising=False)
    configure_prefect()
    assert not any(name in os.environ for name in SERVICES)


def test_an_explicit_choice_wins(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv(SERVICES[0], "true")
    with temporary_settings(updates={PREFECT_API_URL: None}):
        configure_prefect()
    assert os.environ[SERVICES[0]] == "true"
