"""``sentinella agencies scorecard``: the agency scorecard of a period (rulebook §4).

Default output is a rich table of the key columns; ``--json`` prints every field of every row,
``--csv`` and ``--html`` the files ``flows.scorecard_render`` makes; ``--out PATH`` writes the
chosen form to a file instead of standard output. An invalid period raises ``InvalidPeriod``
(a ``SentinellaError``: the CLI's ``main()`` prints it and exits 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_output import console, to_jsonable

agencies_app = typer.Typer(help="Outside sales agencies: the scorecard.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``agencies`` (with ``scorecard``) to the ``sentinella`` command."""
    app.add_typer(agencies_app, name="agencies")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"written {escape(str(out))}", highlight=False)


def _table(rows, *, period: str) -> Table:
    from flows.scorecard_render import STATUSES_IT, format_interval_it, format_percent_it
    from letters.formatting import format_euro

    table = Table("rank", "agency", "name", "mandate", "contracts", "audited", "nonconformity rate (95% CI)",
                  "nonconf.", "withdrawals", "disown. rec./acc.", "penalties", "plans open",
                  title=f"Agency scorecard {period}: {len(rows)} agencies")
    for row in rows:
        table.add_row(
            "—" if row.rank is None else str(row.rank), row.agency_code, escape(row.agency_name),
            STATUSES_IT[row.mandate_status.value], str(row.contracts_total),
            f"{row.audited} ({format_percent_it(row.audited_rate)})", format_interval_it(row),
            str(row.nonconformities_total), str(row.withdrawals),
            f"{row.disownments_received}/{row.disownments_accepted}", format_euro(row.penalties_eur),
            str(row.corrective_actions_open),
        )
    return table


@agencies_app.command("scorecard")
def scorecard_command(
    period: str = typer.Option(..., "--period", help='"2026-Q1", "2026-03", "2026-H1" or "2026".'),
    as_json: bool = typer.Option(False, "--json", help="Every field of every row, as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="One CSV line per agency."),
    as_html: bool = typer.Option(False, "--html", help="A self-contained Italian HTML page with a chart."),
    out: Path | None = typer.Option(None, "--out", help="Write the JSON/CSV/HTML to this file."),
) -> None:
    """The agencies' scorecard for a period, best rank first (unaudited agencies last, unranked)."""
    from agencies.periods import period_bounds
    from flows.runtime import app_context
    from flows.scorecard_render import scorecard_csv, scorecard_html
    from flows.scorecards import agency_scorecard

    if as_json + as_csv + as_html > 1:
        raise typer.BadParameter("choose one of --json, --csv, --html", param_hint="--json/--csv/--html")
    if out is not None and not (as_json or as_csv or as_html):
        raise typer.BadParameter("--out needs --json, --csv or --html", param_hint="--out")
    period_bounds(period)  # an invalid period fails before the database is opened
    rows = agency_scorecard(engine=app_context().engine, period=period)
    label = period.strip().upper()
    if as_json:
        _emit(json.dumps(to_jsonable(list(rows)), ensure_ascii=False, indent=2) + "\n", out)
    elif as_csv:
        _emit(scorecard_csv(rows), out)
    elif as_html:
        _emit(scorecard_html(rows=rows, period=label), out)
    else:
        console.print(_table(rows, period=label))
