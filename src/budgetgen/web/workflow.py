"""Login, the department's workflow (草稿 → 已提交 → 已退回 / 已审核 → 已发布) and the audit log.

发布 builds the final outputs with the same code as `budgetgen build` into the folder's 发布/, named
for the portal (编码-名称.pdf …), and makes them read-only: what was approved is what is published.
"""

from __future__ import annotations

import time
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .accounts import AccountsUnavailable
from .bureau import publish
from .folder import Refused
from .pages import limited, page, refused, settings_of, to_department, verified_form
from .seam import SESSION_COOKIE, accounts_of, actor_of, current_actor, record, requires

LOGIN_WINDOW = 600  # seconds
LOGIN_ATTEMPTS_PER_ADDRESS = 20  # failed logins from one address within the window
_failures: dict[str, list[float]] = {}


def _too_many(address: str) -> bool:
    now = time.time()
    recent = [t for t in _failures.get(address, []) if now - t < LOGIN_WINDOW]
    _failures[address] = recent
    return len(recent) >= LOGIN_ATTEMPTS_PER_ADDRESS


async def login(request: Request) -> Response:
    accounts = accounts_of(request)
    target = request.query_params.get("next", "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"
    if request.method == "GET":
        return page(request, "login.html.j2", next=target)
    address = request.client.host if request.client else ""
    try:
        form = await verified_form(request)
        if _too_many(address):
            raise Refused("登录失败次数过多，请 10 分钟后再试。", 429)
        name, password = str(form.get("name") or ""), str(form.get("password") or "")
        token = await run_in_threadpool(accounts.login, name, password)
        if token is None:
            _failures.setdefault(address, []).append(time.time())
            await run_in_threadpool(accounts.record, name[:40], "登录失败", "", "", address)
            return page(
                request, "login.html.j2", status=401, next=target, error="用户名或密码不正确，或账号已暂时锁定。"
            )
    except Refused as exc:
        return refused(request, exc)
    except AccountsUnavailable as exc:
        return page(request, "message.html.j2", status=503, title="账号数据库无法使用", message=str(exc))
    await run_in_threadpool(accounts.record, name, "登录", "", "", address)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", max_age=8 * 3600
    )
    return response


async def logout(request: Request) -> Response:
    try:
        await verified_form(request)
    except Refused as exc:
        return refused(request, exc)
    token = request.cookies.get(SESSION_COOKIE, "")
    actor = await run_in_threadpool(current_actor, request)
    await run_in_threadpool(accounts_of(request).logout, token)
    if actor is not None:
        await run_in_threadpool(record, request, actor, "退出")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@requires("read", scoped=False)
async def password(request: Request) -> Response:
    actor = actor_of(request)
    if request.method == "GET":
        return page(request, "password.html.j2")
    try:
        form = await verified_form(request)
        new = str(form.get("new") or "")
        if len(new) < 10:
            raise Refused("新密码至少 10 个字符。", 400)
        changed = await run_in_threadpool(
            accounts_of(request).change_password, actor.name, str(form.get("old") or ""), new
        )
        if not changed:
            raise Refused("原密码不正确，密码未修改。", 400)
    except Refused as exc:
        return refused(request, exc)
    return RedirectResponse("/?msg=" + quote("密码已修改") + "&kind=success", status_code=303)


@requires("read")
async def change_state(request: Request) -> Response:
    """提交 / 退回 / 审核 / 发布: only the roles allowed, only from the states allowed; 审核 needs a
    department without errors (its warnings acknowledged), 发布 builds the final outputs."""
    from .tasks import check_file

    settings = settings_of(request)
    name = request.path_params["name"]
    actor = actor_of(request)
    accounts = accounts_of(request)
    try:
        form = await verified_form(request)
        new = str(form.get("state") or "")
        comment = str(form.get("comment") or "").strip()
        path = settings.folder.resolve(name)
        await run_in_threadpool(accounts.check_transition, name, new, actor)
        if new == "已退回" and not comment:
            raise Refused("退回时请写明要修改什么（意见会显示在部门页面上）。", 400)
        if new in ("已提交", "已审核"):
            result = await limited(check_file, str(path), name, settings.dirs, False, seconds=settings.check_seconds)
            errors = sum(1 for p in result["problems"] if p["severity"] == "错误")
            warnings = sum(1 for p in result["problems"] if p["severity"] == "警告")
            if errors:
                raise Refused(f"还有 {errors} 个错误，不能{'提交' if new == '已提交' else '审核通过'}。", 409)
            if new == "已审核" and warnings and not form.get("warnings_read"):
                raise Refused(f"有 {warnings} 个警告：请逐条看过后勾选“已阅警告”再审核通过。", 409)
        if new == "已发布":
            address = request.client.host if request.client else ""
            published = await run_in_threadpool(publish, settings, name, actor, address)
            return to_department(name, "已发布：" + "、".join(published))
        await run_in_threadpool(accounts.change_state, name, new, actor, comment)
        if new == "已审核":
            kept = await run_in_threadpool(settings.folder.snapshot, name)
            await run_in_threadpool(accounts.approved_as, name, kept)
    except Refused as exc:
        return refused(request, exc)
    except (ValueError, PermissionError) as exc:
        await run_in_threadpool(record, request, actor, f"拒绝：状态 → {new}", name, str(exc))
        return refused(request, Refused(str(exc), 409))
    await run_in_threadpool(record, request, actor, f"状态 → {new}", name, comment)
    return to_department(name, f"已改为“{new}”")


@requires("batch", scoped=False)
async def audit_log(request: Request) -> HTMLResponse:
    department = request.query_params.get("d") or None
    entries = await run_in_threadpool(accounts_of(request).audit, department)
    return page(request, "audit.html.j2", entries=entries, department=department or "")
