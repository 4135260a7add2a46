"""Sales managers: the agency scorecards (``flows.scorecards``), their chart and the drill-down."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from agencies.errors import InvalidPeriod
from agencies.periods import period_bounds
from db.engine import transaction
from flows.scorecard_render import scorecard_csv, scorecard_html
from flows.scorecards import agency_scorecard
from flows.web.agency_findings_list import UnknownAgency, agency_nonconformities
from flows.web.session import WebUser, allowed_user
from flows.web.templating import render

router = APIRouter()
VIEW = "view scorecards"


def quarter_of(day: date) -> str:
    """``"2026-Q2"`` for a day of April to June 2026."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _period(request: Request, periodo: str | None) -> str:
    return (periodo or "").strip() or quarter_of(request.app.state.config.today())


@router.get("/agenzie")
def scorecard_page(request: Request, periodo: str | None = None, user: WebUser = Depends(allowed_user(VIEW))):
    period = _period(request, periodo)
    try:
        rows = agency_scorecard(engine=request.app.state.config.context.engine, period=period)
    except InvalidPeriod:
        return render(request, "scorecard.html", user=user, period=period, rows=[], status_code=422,
                      error="Periodo non valido: usare ad esempio 2026, 2026-H1, 2026-Q1 o 2026-03.")
    return render(request, "scorecard.html", user=user, period=period, rows=rows, error=None)


@router.get("/agenzie/grafico", response_class=HTMLResponse)
def scorecard_chart(request: Request, periodo: str | None = None, user: WebUser = Depends(allowed_user(VIEW))):
    """The scorecard page of ``flows.scorecard_render`` (table and SVG chart), embedded by the console."""
    period = _period(request, periodo)
    try:
        rows = agency_scorecard(engine=request.app.state.config.context.engine, period=period)
    except InvalidPeriod:
        return HTMLResponse("<p>Periodo non valido.</p>", status_code=422)
    return HTMLResponse(scorecard_html(rows=rows, period=period))


@router.get("/agenzie/pagella.csv")
def scorecard_download(request: Request, periodo: str | None = None, user: WebUser = Depends(allowed_user(VIEW))):
    period = _period(request, periodo)
    try:
        rows = agency_scorecard(engine=request.app.state.config.context.engine, period=period)
    except InvalidPeriod:
        return Response("periodo non valido\n", status_code=422, media_type="text/plain")
    return Response(scorecard_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="scorecard-{period}.csv"'})


@router.get("/agenzie/{code}")
def agency_page(request: Request, code: str, periodo: str | None = None, user: WebUser = Depends(allowed_user(VIEW))):
    period = _period(request, periodo)
    try:
        start, end = period_bounds(period)
        with transaction(request.app.state.config.context.engine) as session:
            agency = agency_nonconformities(session, agency_code=code, period_start=start, period_end=end)
    except InvalidPeriod:
        return render(request, "not_found.html", user=user, what="Periodo non valido.", status_code=422)
    except UnknownAgency:
        return render(request, "not_found.html", user=user, what=f"Nessuna agenzia «{code}».", status_code=404)
    return render(request, "agency.html", user=user, agency=agency, period=period)
