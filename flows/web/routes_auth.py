"""Login, logout and the home page (each role lands on its own page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from flows.web.passwords import authenticate
from flows.web.permissions import HOME_OF
from flows.web.session import NotLoggedIn, current_user, verified_form
from flows.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request):
    return RedirectResponse(HOME_OF[current_user(request).role], status_code=303)


@router.get("/login")
def login_page(request: Request):
    try:
        return RedirectResponse(HOME_OF[current_user(request).role], status_code=303)
    except NotLoggedIn:
        return render(request, "login.html", user=None, error=None, username="")


@router.post("/login")
def login(request: Request, form: FormData = Depends(verified_form)):
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    found = authenticate(engine=request.app.state.config.context.engine, username=username, password=password)
    if found is None:
        return render(request, "login.html", user=None, error="Nome utente o password non validi.",
                      username=username, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) at every login
    request.session["user"] = found
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, form: FormData = Depends(verified_form)):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
