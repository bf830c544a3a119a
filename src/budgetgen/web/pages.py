"""Rendering the page's templates and reading its forms: what every handler (and the permission
seam) uses, below the handlers themselves."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from .. import __version__
from ..builders import OUTPUTS
from .folder import MAX_UPLOAD_BYTES, Refused
from .worker import run_limited

HERE = Path(__file__).resolve().parent
COOKIE = "budgetgen_token"  # the session id; the form token is derived from it
MAX_SESSIONS = 10_000
PAGES = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGES.filters["url"] = lambda name: quote(str(name))
PAGES.globals["outputs"] = [o for o in OUTPUTS if o.on_page]  # the formats a page offers


def settings_of(request: Request) -> Any:
    return request.app.state.settings


def page(request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
    settings = settings_of(request)
    session = request.cookies.get(COOKIE, "")
    if session not in settings.sessions:  # a cookie this server did not issue is never adopted
        session = secrets.token_urlsafe(32)
        if len(settings.sessions) >= MAX_SESSIONS:
            settings.sessions.clear()
        settings.sessions.add(session)
    actor = getattr(request.state, "actor", None)
    html = PAGES.get_template(template).render(
        token=csrf_token(settings, session),
        version=__version__,
        folder=settings.folder.root,
        actor=actor if actor is not None and actor.name != "本机用户" else None,
        **values,
    )
    response = HTMLResponse(html, status_code=status)
    if request.cookies.get(COOKIE) != session:
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict")
    return response


def csrf_token(settings: Any, session: str) -> str:
    """The form token of a session: derived on the server from the session id, so a client can
    neither choose a cookie/token pair nor reuse one from another server."""
    return hmac.new(settings.secret, session.encode(), hashlib.sha256).hexdigest()


async def verified_form(request: Request, files: int = 0, max_fields: int = 20):
    """The posted form, after its token was compared with the session's; Refused otherwise."""
    form = await request.form(max_files=files, max_fields=max_fields, max_part_size=MAX_UPLOAD_BYTES + 1)
    settings = settings_of(request)
    session = request.cookies.get(COOKIE, "")
    sent = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
    if session not in settings.sessions or not secrets.compare_digest(csrf_token(settings, session), sent):
        raise Refused("页面已过期或请求不是从本页面发出：请刷新页面后重试。", 403)
    return form


def refused(request: Request, exc: Refused) -> HTMLResponse:
    return page(request, "message.html.j2", status=exc.status, title="无法完成", message=exc.message)


def to_department(name: str, message: str, kind: str = "success") -> RedirectResponse:
    """After a change, back to the department's page with one line saying what happened, in the
    colour of its kind (success, warning, error)."""
    return RedirectResponse(f"/d/{quote(name)}?msg=" + quote(message) + f"&kind={kind}", status_code=303)


def flash_of(request: Request) -> dict:
    kind = request.query_params.get("kind", "success")
    return {"flash": request.query_params.get("msg", ""), "flash_kind": kind if kind in FLASH_KINDS else "success"}


FLASH_KINDS = ("success", "warning", "error")


async def limited(function, *args, seconds: float):
    return await run_in_threadpool(run_limited, function, args, seconds)
