"""Identity and permission, in one place (after Datasette's actor_from_request / ensure_permission):
every handler declares the action it performs; this decorator finds who is asking, resolves the
department the path names and asks `Actor.may(action, department)` before the handler runs.

Without accounts (a single user at 127.0.0.1) the actor is the local user and everything is
allowed, as before accounts existed. A department one may not see answers 404, exactly as one
that does not exist: the page never confirms that it is there.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .accounts import LOCAL, PERMISSION_LABELS, Accounts, AccountsUnavailable, Actor
from .pages import page

SESSION_COOKIE = "budgetgen_session"
CHANGED = "修改"  # the audit action of a change to a department file
Handler = Callable[[Request], Awaitable[Response]]


def accounts_of(request: Request) -> Accounts:
    return request.app.state.settings.accounts


def current_actor(request: Request) -> Actor | None:
    """The local user when no accounts are configured; else the session's user, or None."""
    accounts = accounts_of(request)
    if not accounts.configured:
        return LOCAL
    return accounts.session_actor(request.cookies.get(SESSION_COOKIE, ""))


def requires(action: str, scoped: bool = True) -> Callable[[Handler], Handler]:
    """The handler runs only for an actor who may do `action` (on the department in the path when
    `scoped`); every refusal is recorded in the audit log."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request) -> Response:
            try:
                actor = await run_in_threadpool(current_actor, request)
            except AccountsUnavailable as exc:
                return page(request, "message.html.j2", status=503, title="账号数据库无法使用", message=str(exc))
            if actor is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?next=" + quote(target), status_code=303)
            department = request.path_params.get("name") if scoped else None
            if not actor.may(action, department):
                await run_in_threadpool(record, request, actor, f"拒绝：{PERMISSION_LABELS[action]}", department or "")
                if scoped:
                    return page(
                        request, "message.html.j2", status=404, title="没有这个页面", message="地址有误，请从首页进入。"
                    )
                return page(request, "message.html.j2", status=403, title="无权操作", message="您的角色不能做这件事。")
            request.state.actor = actor
            if request.method == "POST":
                try:  # recorded before it happens: an action the log cannot hold does not happen
                    label = f"请求：{PERMISSION_LABELS[action]}"
                    await run_in_threadpool(record, request, actor, label, department or "", request.url.path)
                except AccountsUnavailable as exc:
                    return page(request, "message.html.j2", status=503, title="未能完成", message=str(exc))
            return await handler(request)

        return guarded

    return wrap


def actor_of(request: Request) -> Actor:
    return getattr(request.state, "actor", LOCAL)


def record(request: Request, actor: Actor, action: str, department: str = "", detail: str = "") -> None:
    """One line of the audit log (who, when, what, from where); nothing to record without accounts."""
    accounts = accounts_of(request)
    if accounts.configured:
        address = request.client.host if request.client else ""
        accounts.record(actor.name, action, department, detail, address)


def touched(request: Request, department: str) -> None:
    """A department's file changed: recorded as 修改 (the list shows who changed it last), and a
    submitted or approved one goes back to 草稿."""
    accounts = accounts_of(request)
    if accounts.configured:
        record(request, actor_of(request), CHANGED, department, request.url.path)
        accounts.edited(department, actor_of(request))
