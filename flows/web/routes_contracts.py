"""Customer service: the contract search, the contract timeline, the letters' PDFs."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from db.engine import transaction
from db.models import Letter
from flows.contract_view import ContractNotFound
from flows.web.search import search_contracts
from flows.web.session import WebUser, allowed_user
from flows.web.templating import render
from flows.web.timeline import contract_timeline

router = APIRouter()


@router.get("/contratti")
def search_page(request: Request, q: str = "", user: WebUser = Depends(allowed_user("view contracts"))):
    results = None
    if q.strip():
        with transaction(request.app.state.config.context.engine) as session:
            results = search_contracts(session, query=q)
    return render(request, "search.html", user=user, query=q, results=results)


@router.get("/contratti/{reference}")
def contract_page(request: Request, reference: str, user: WebUser = Depends(allowed_user("view contracts"))):
    try:
        with transaction(request.app.state.config.context.engine) as session:
            view = contract_timeline(session, reference=reference)
    except ContractNotFound:
        return render(request, "not_found.html", user=user, what=f"Nessun contratto «{reference}».",
                      status_code=404)
    return render(request, "contract.html", user=user, view=view, notice=request.session.pop("flash", None))


def letter_file(*, letters_dir: Path, stored_path: str) -> Path:
    """The letter's PDF, only if it lies inside the letters folder. Raises FileNotFoundError."""
    root = letters_dir.resolve()
    path = Path(stored_path)
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise FileNotFoundError(stored_path)
    return path


@router.get("/lettere/{letter_id}")
def letter_pdf(request: Request, letter_id: int, user: WebUser = Depends(allowed_user("view contracts"))):
    config = request.app.state.config
    with transaction(config.context.engine) as session:
        letter = session.get(Letter, letter_id)
        stored = letter.path if letter else None
    if stored is None:
        raise HTTPException(status_code=404, detail="lettera inesistente")
    try:
        path = letter_file(letters_dir=config.settings.letters_dir, stored_path=stored)
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail="il PDF della lettera non è disponibile") from None
    return FileResponse(path, media_type="application/pdf", filename=path.name,
                        content_disposition_type="inline")
