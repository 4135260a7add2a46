"""The compliance report as JSON (every figure, exact decimals), HTML (Italian, self-contained)
and PDF (the HTML laid out by the letters' WeasyPrint engine)."""

from __future__ import annotations

import json
from datetime import timedelta

from flows.cli_output import to_jsonable
from flows.reports.compliance import ComplianceReport
from flows.reports.render import _engine, report_environment

__all__ = ["STEPS_IT", "compliance_html", "compliance_json", "compliance_pdf"]

TEMPLATE = "reports/compliance.html.j2"
STEPS_IT = {"confirmation": "lettera di conferma del contratto", "hold": "blocco di fatturazione e recupero crediti",
            "reply": "risposta motivata al disconoscimento", "restoration_request": "richiesta di ripristino",
            "rebilling": "rifatturazione a condizioni regolate", "protocol_indemnity": "indennizzo del Protocollo (25 €)"}
ROLES_IT = {"customer_service": "servizio clienti", "sales_manager": "responsabile vendite",
            "compliance": "conformità (CSR)", "liaison": "rapporti con le associazioni",
            "administrator": "amministratore"}


def compliance_json(report: ComplianceReport) -> str:
    """Every figure and overdue step: dates ISO, rates and euros as exact decimal strings."""
    return json.dumps(to_jsonable(report), ensure_ascii=False, indent=2) + "\n"


def compliance_html(report: ComplianceReport, *, supplier_name: str) -> str:
    """A complete Italian HTML page (autoescaped, no script, no external asset)."""
    return report_environment().get_template(TEMPLATE).render(
        report=report, last_day=report.period_end - timedelta(days=1), supplier_name=supplier_name,
        steps_it=STEPS_IT, roles_it=ROLES_IT)


def compliance_pdf(report: ComplianceReport, *, supplier_name: str) -> bytes:
    """The report as PDF bytes, laid out by the letters' WeasyPrint engine."""
    engine = _engine()
    return engine.write(engine.layout(html=compliance_html(report, supplier_name=supplier_name)))
