"""Compliance (adherence and overdue steps) and the association liaison's report downloads.

The reports are those of ``flows.reports`` (``monitoring_bytes`` / ``compliance_bytes``, the same
functions as ``sentinella report``), produced on request for the chosen period. Should that
package be missing from an installation, the pages say so and compliance still sees the overdue
cases of the queue. The association reports the Prefect flow ``monitoring-report`` has written
under ``<SENTINELLA_REPORTS_DIR>/monitoring/`` are listed for download either way (only that
folder: the liaison gets aggregates, never the scorecards or the compliance report).
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, Response

from flows.disownment_decisions import case_queue
from flows.web.session import WebUser, allowed_user
from flows.web.templating import render
from protocol.errors import SentinellaError

router = APIRouter()
DOWNLOADABLE = frozenset({".pdf", ".csv", ".json", ".html"})
MONITORING_FOLDER = "monitoring"
MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json",
               "html": "text/html; charset=utf-8"}


def monitoring_module_available() -> bool:
    return importlib.util.find_spec("flows.reports") is not None


def report_files(*, reports_dir: Path) -> list[dict]:
    """The downloadable report files under ``reports_dir``, newest first (path relative to it)."""
    if not reports_dir.is_dir():
        return []
    files = [path for path in reports_dir.rglob("*") if path.is_file() and path.suffix.lower() in DOWNLOADABLE]
    files.sort(key=lambda path: (path.stat().st_mtime, str(path)), reverse=True)
    return [{"name": str(path.relative_to(reports_dir)), "size": path.stat().st_size} for path in files]


def _period_form(request: Request) -> dict:
    """The period fields of a report form, defaulting to 1 January to today."""
    today = request.app.state.config.today()
    return {"dal": request.query_params.get("dal") or date(today.year, 1, 1).isoformat(),
            "al": request.query_params.get("al") or today.isoformat(),
            "formato": request.query_params.get("formato", "")}


def _report(request: Request, *, kind: str, fields: dict) -> Response:
    """The report ``kind`` (monitoring or compliance) for the form's period. Raises ValueError (Italian)."""
    from flows.reports import files
    from flows.reports.period import period_from_to

    try:
        first, last = date.fromisoformat(fields["dal"]), date.fromisoformat(fields["al"])
    except ValueError:
        raise ValueError("Date non valide (formato AAAA-MM-GG).") from None
    formats = files.MONITORING_FORMATS if kind == "monitoring" else files.COMPLIANCE_FORMATS
    if fields["formato"] not in formats:
        raise ValueError(f"Formato non disponibile: scegliere tra {', '.join(formats)}.")
    context = request.app.state.config.context
    try:
        period = period_from_to(first_day=first, last_day=last)
        content = (files.monitoring_bytes(engine=context.engine, period=period, rules=context.rules,
                                          fmt=fields["formato"]) if kind == "monitoring"
                   else files.compliance_bytes(engine=context.engine, period=period, fmt=fields["formato"]))
    except SentinellaError:
        raise ValueError("Periodo non valido: il primo giorno deve precedere l'ultimo.") from None
    name = f"{kind}-{first.isoformat()}-{last.isoformat()}.{fields['formato']}"
    disposition = "inline" if fields["formato"] in ("html", "pdf") else "attachment"
    return Response(content, media_type=MEDIA_TYPES[fields["formato"]],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@router.get("/conformita")
def compliance_page(request: Request, user: WebUser = Depends(allowed_user("view compliance"))):
    config = request.app.state.config
    fields, error = _period_form(request), None
    if fields["formato"] and monitoring_module_available():
        try:
            return _report(request, kind="compliance", fields=fields)
        except ValueError as invalid:
            error = str(invalid)
    overdue = case_queue(engine=config.context.engine, as_of=config.today(), overdue_only=True)
    return render(request, "compliance.html", user=user, overdue=overdue, as_of=config.today(),
                  monitoring=monitoring_module_available(), fields=fields, error=error,
                  status_code=422 if error else 200)


@router.get("/rapporti")
def reports_page(request: Request, user: WebUser = Depends(allowed_user("download reports"))):
    fields, error = _period_form(request), None
    if fields["formato"] and monitoring_module_available():
        try:
            return _report(request, kind="monitoring", fields=fields)
        except ValueError as invalid:
            error = str(invalid)
    files = report_files(reports_dir=request.app.state.config.settings.reports_dir / MONITORING_FOLDER)
    return render(request, "reports.html", user=user, files=files, monitoring=monitoring_module_available(),
                  fields=fields, error=error, status_code=422 if error else 200)


@router.get("/rapporti/file/{name:path}")
def report_download(request: Request, name: str, user: WebUser = Depends(allowed_user("download reports"))):
    root = (request.app.state.config.settings.reports_dir / MONITORING_FOLDER).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.suffix.lower() not in DOWNLOADABLE:
        raise HTTPException(status_code=404, detail="rapporto inesistente")
    return FileResponse(path, filename=path.name)
