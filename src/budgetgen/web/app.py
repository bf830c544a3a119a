"""`budgetgen serve`: a local web page over one folder of department files.

Server-rendered pages (Jinja, autoescaped) and a little vendored JavaScript. Every check and build
is the library's own (web/tasks.py), run in a child process with a time limit (web/worker.py);
files are reached only through web/folder.py. Requests that change anything carry the session's
token (double-submit cookie), so another site cannot make a finance officer's browser post here.
"""

from __future__ import annotations

import difflib
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..builders import DEFAULT_FORMATS, OUTPUTS
from ..theme import list_sets, search_dirs_for
from .accounts import Accounts
from .batchrun import BatchState, start_batch
from .bureau import checklist, publish_approved, published_zip
from .folder import (
    MAX_UPLOAD_BYTES,
    TEXT_SUFFIXES,
    Conflict,
    Folder,
    Refused,
    decode_text,
    safe_upload_name,
    upload_problem,
    version_of,
)
from .pages import flash_of, limited, page, refused, settings_of, to_department, verified_form
from .seam import CHANGED, actor_of, requires, touched
from .tasks import build_file, check_file, check_text, form_page, import_workbook_as_yaml, is_public_tables_file
from .worker import TimedOut, WorkerFailed
from .workflow import audit_log, change_state, login, logout, password

HERE = Path(__file__).resolve().parent

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
FORMATS = tuple(o.name for o in OUTPUTS if o.on_page)
MEDIA = {o.name: o.media_type for o in OUTPUTS}


@dataclass
class Settings:
    folder: Folder
    template_dirs: tuple[Path, ...] = ()
    check_seconds: float = 60  # one department's check
    build_seconds: float = 300  # one department's build
    max_body_bytes: int = MAX_UPLOAD_BYTES + 64 * 1024  # an upload and its form fields
    statuses: dict = field(default_factory=dict)  # name → ((mtime, size), the list page's check)
    batch: BatchState = field(default_factory=BatchState)
    publishing: BatchState = field(default_factory=BatchState)  # 发布 of every approved department
    allowed_hosts: frozenset[str] = LOCAL_HOSTS
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs this server's CSRF tokens
    sessions: set[str] = field(default_factory=set)  # session ids this server issued
    accounts: Accounts = field(default_factory=lambda: Accounts(Path("/nonexistent")))

    @property
    def dirs(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.template_dirs)


def create_app(
    folder: Path, template_dirs: tuple[Path, ...] = (), allowed_hosts: tuple[str, ...] = (), **limits
) -> Starlette:
    """The page over `folder`. It answers only requests naming it by a local address or one of
    `allowed_hosts` (the --host name, --allowed-host values): a foreign Host is a DNS-rebinding page."""
    settings = Settings(
        Folder.at(folder),
        tuple(template_dirs),
        allowed_hosts=LOCAL_HOSTS | {h.lower().strip("[]") for h in allowed_hosts},
        **limits,
    )
    settings.accounts = Accounts.beside(settings.folder.root)
    routes = [
        Route("/", index),
        Route("/upload", upload, methods=["POST"]),
        Route("/d/{name:path}", department),
        Route("/edit/{name:path}", edit),
        Route("/form/{name:path}", form_editor, methods=["GET", "POST"]),
        Route("/new", new_department, methods=["POST"]),
        Route("/remove/{name:path}", remove_department, methods=["POST"]),
        Route("/versions/{name:path}", versions, methods=["GET"]),
        Route("/restore/{name:path}", restore_version, methods=["POST"]),
        Route("/zip/{name:path}", outputs_zip),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/password", password, methods=["GET", "POST"]),
        Route("/state/{name:path}", change_state, methods=["POST"]),
        Route("/audit", audit_log),
        Route("/checklist/{name:path}", checklist),
        Route("/publish-approved", publish_approved, methods=["POST"]),
        Route("/published.zip", published_zip),
        Route("/check/{name:path}", check_edited, methods=["POST"]),
        Route("/save/{name:path}", save, methods=["POST"]),
        Route("/build/{name:path}", build, methods=["POST"]),
        Route("/import/{name:path}", import_export, methods=["POST"]),
        Route("/file/{fmt}/{name:path}", built_file),
        Route("/batch", batch_page),
        Route("/batch/start", batch_start, methods=["POST"]),
        Route("/batch/status", batch_status),
        Route("/summary", summary),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(HostGuard, allowed=settings.allowed_hosts),
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, limit=settings.max_body_bytes),
        ],
        exception_handlers={404: not_found, 405: not_allowed},
    )
    app.state.settings = settings
    return app


# ---------------------------------------------------------------- framework pieces


class HostGuard:
    """Answer only requests whose Host (and Origin, when a browser sends one) is this server's own
    name: a page elsewhere that rebinds its DNS name to 127.0.0.1 gets a refusal, never the folder."""

    def __init__(self, app, allowed: frozenset[str]) -> None:
        self.app, self.allowed = app, allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        host = hostname(headers.get(b"host", b"").decode("latin-1"))
        origin = headers.get(b"origin", b"").decode("latin-1")
        if host not in self.allowed:
            return await plain(
                send,
                421,
                f"此网页只接受以本机地址打开的请求（收到的地址：{host[:60] or '无'}）。请用启动时显示的地址打开；"
                "在本单位网络中使用时，启动时用 --allowed-host 加上本机的名称或 IP。",
            )
        if origin and origin != "null" and hostname(urlsplit(origin).netloc) not in self.allowed:
            return await plain(send, 403, "请求来自其他网站，已拒绝。")
        await self.app(scope, receive, send)


def hostname(netloc: str) -> str:
    """`127.0.0.1:8765` → 127.0.0.1; `[::1]:8765` → ::1; lower case."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1 : netloc.find("]")] if "]" in netloc else netloc
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


async def plain(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
            + SECURITY_HEADERS,
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse a request body over the limit — at once when its Content-Length says so, else as
    soon as that many bytes have arrived — with a Chinese page, never reading the rest."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._refuse(send)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send) -> None:
        await plain(send, 413, f"上传的内容超过 {self.limit // (1024 * 1024)} MB，未接收。部门文件一般不超过 1 MB。")


class _TooLarge(Exception):
    pass


SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
# pages only: a PDF answered with it would not open in the browser's own viewer
PAGE_POLICY = (
    b"content-security-policy",
    b"default-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
)


class SecurityHeaders:
    """Only this page's own scripts, styles and frames; nothing sniffed, nothing framed elsewhere."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                message = {**message, "headers": headers + SECURITY_HEADERS + ([PAGE_POLICY] if html else [])}
            await send(message)

        await self.app(scope, receive, with_headers)


async def not_found(request: Request, exc) -> HTMLResponse:
    return page(request, "message.html.j2", status=404, title="没有这个页面", message="地址有误，请从首页进入。")


async def not_allowed(request: Request, exc) -> HTMLResponse:
    return page(request, "message.html.j2", status=405, title="无法完成", message="请从页面上的按钮操作。")


def chosen_formats(form) -> tuple[str, ...]:
    return tuple(f for f in FORMATS if form.get(f)) or DEFAULT_FORMATS


# ---------------------------------------------------------------- pages


@requires("read", scoped=False)
async def index(request: Request) -> HTMLResponse:
    settings = settings_of(request)
    actor = actor_of(request)
    names = [n for n in settings.folder.departments() if actor.may("read", n)]
    gate = anyio.Semaphore(os.cpu_count() or 1)  # the first visit checks every department, a core each

    rows: list = [None] * len(names)
    changes = await run_in_threadpool(last_changes, settings)

    async def fill(index: int, name: str) -> None:
        async with gate:
            rows[index] = {
                **await list_status(settings, name),
                "file": name,
                "state": await state_of(settings, name),
                "changed": changes.get(name),
            }

    async with anyio.create_task_group() as group:
        for index, name in enumerate(names):
            group.start_soon(fill, index, name)
    return page(
        request,
        "index.html.j2",
        rows=rows,
        sets=sorted(list_sets(search_dirs_for(settings.folder.root / "x.yaml", settings.template_dirs))),
        **flash_of(request),
    )


def last_changes(settings: Settings) -> dict[str, dict]:
    """Who changed each department file last, and when (with accounts)."""
    return settings.accounts.last_changes(CHANGED) if settings.accounts.configured else {}


async def state_of(settings: Settings, name: str) -> str:
    if not await run_in_threadpool(lambda: settings.accounts.configured):
        return ""
    return (await run_in_threadpool(settings.accounts.state, name))["state"]


async def list_status(settings: Settings, name: str) -> dict:
    path = settings.folder.resolve(name)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = settings.statuses.get(name)
    if cached is None or cached[0] != stamp:
        try:
            result = await limited(check_file, str(path), name, settings.dirs, False, seconds=settings.check_seconds)
        except (TimedOut, WorkerFailed) as exc:
            result = {
                "status": "有错误",
                "name": "",
                "figures": {},
                "problems": [{"severity": "错误", "message": str(exc)}],
            }
        cached = (
            stamp,
            {k: result.get(k) for k in ("status", "name", "code", "figures")} | {"counts": _counts(result["problems"])},
        )
        settings.statuses[name] = cached
    return cached[1] | built_state(settings, name, stat.st_mtime)


def built_state(settings: Settings, name: str, source_mtime: float) -> dict:
    """When the department's outputs were last built, and whether the source changed since."""
    import time as clock

    built = [p.stat().st_mtime for fmt in FORMATS if (p := settings.folder.output_file(name, fmt)).is_file()]
    if not built:
        return {"built": "", "stale": False}
    latest = max(built)
    return {"built": clock.strftime("%m-%d %H:%M", clock.localtime(latest)), "stale": min(built) < source_mtime}


def _counts(problems: list[dict]) -> dict:
    return {s: sum(1 for p in problems if p["severity"] == s) for s in ("错误", "警告", "提示")}


@requires("edit", scoped=False)
async def upload(request: Request) -> Response:
    """上传: a department file (YAML or a filled-in workbook) — never over an existing one unless
    替换 is ticked (the old one kept as a version); the budget system's export is imported into a
    department at once and kept out of the list."""
    settings = settings_of(request)
    try:
        form = await verified_form(request, files=1)
        sent = form.get("file")
        if sent is None or not getattr(sent, "filename", ""):
            raise Refused("请选择要上传的文件。", 400)
        name = safe_upload_name(sent.filename)
        if not actor_of(request).may("edit", name) and not actor_of(request).may("edit", _yaml_name(name)):
            raise Refused("您只能上传分配给您的部门的文件。", 404)
        data = await sent.read(MAX_UPLOAD_BYTES + 1)
        problem = upload_problem(name, data)
        if problem:
            raise Refused(f"未接收「{name}」：{problem}。", 400)
        if Path(name).suffix.lower() in (".xlsx", ".xls"):
            kept = await run_in_threadpool(settings.folder.keep_upload, name, data)
            if await limited(is_public_tables_file, str(kept), seconds=settings.check_seconds):
                return await _import_upload(request, settings, kept, name)
        exists = settings.folder.resolve(name, must_exist=False).exists()
        if exists and not form.get("replace"):
            raise Refused(
                f"已有部门文件「{name}」，未替换。要替换它，请勾选“替换同名的部门文件”后重新上传（原文件会另存为一个版本）；"
                "或把文件改名后上传。",
                409,
            )
        await run_in_threadpool(settings.folder.save, name, data)
        await run_in_threadpool(touched, request, name)
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "上传未完成", exc)
    return to_department(
        name, f"已{'替换' if exists else '上传'}「{name}」" + ("（原文件已另存为一个版本）" if exists else "")
    )


def _yaml_name(name: str) -> str:
    return str(Path(name).with_suffix(".yaml").as_posix())


async def _import_upload(request: Request, settings: Settings, kept: Path, name: str) -> Response:
    target = _yaml_name(name)
    if not actor_of(request).may("edit", target):
        raise Refused("您只能上传分配给您的部门的文件。", 404)
    existing = settings.folder.resolve(target, must_exist=False)
    result = await limited(
        import_workbook_as_yaml,
        str(kept),
        name,
        None,  # the set its titles suggest; 新建部门 offers the choice
        str(existing) if existing.is_file() else None,
        seconds=settings.check_seconds,
    )
    if not result["ok"]:
        raise Refused("未能导入：" + "；".join(f"{p['where']} {p['message']}" for p in result["problems"][:5]), 400)
    await run_in_threadpool(settings.folder.save, target, result["text"].encode("utf-8"))
    await run_in_threadpool(touched, request, target)
    verb = "更新了其中的数字" if existing.is_file() else "新建了部门文件"
    return to_department(
        target,
        f"「{name}」是预算系统导出的公开表：已导入，{verb}「{target}」（导出表本身保存在备份文件夹，不列为部门）",
    )


@requires("read")
async def department(request: Request) -> Response:
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = settings.folder.resolve(name)
        result = await limited(check_file, str(path), name, settings.dirs, True, seconds=settings.check_seconds)
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "检查未完成", exc)
    source = source_lines(path, result["problems"])
    built = {fmt: settings.folder.output_file(name, fmt) for fmt in FORMATS}
    fresh = {fmt: p.is_file() and p.stat().st_mtime >= path.stat().st_mtime for fmt, p in built.items()}
    sets = sorted(list_sets(search_dirs_for(path, settings.template_dirs))) if result.get("importable") else []
    flow = await run_in_threadpool(workflow_panel, settings, actor_of(request), name)
    return page(
        request,
        "department.html.j2",
        name=name,
        result=result,
        groups=grouped(result["problems"]),
        source=source,
        fresh=fresh,
        sets=sets,
        workflow=flow,
        **flash_of(request),
    )


ACTIONS = (
    ("已提交", "提交审核", False),
    ("已退回", "退回修改", True),
    ("已审核", "审核通过", False),
    ("已发布", "发布", False),
)


def workflow_panel(settings: Settings, actor, name: str) -> dict | None:
    """The department's state, the reviewers' comments and the changes this actor may make now."""
    from .accounts import TRANSITIONS

    if not settings.accounts.configured:
        return None
    state = settings.accounts.state(name)
    actions = [
        (target, label, comment)
        for target, label, comment in ACTIONS
        if (needed := TRANSITIONS.get((state["state"], target))) and actor.may(needed, name)
    ]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(state["at"])) if state["at"] else ""
    return {**state, "when": when, "comments": settings.accounts.comments(name), "actions": actions}


def grouped(problems: list[dict]) -> list[tuple[str, list[dict]]]:
    return [
        (severity, [p for p in problems if p["severity"] == severity])
        for severity in ("错误", "警告", "提示")
        if any(p["severity"] == severity for p in problems)
    ]


def source_lines(path: Path, problems: list[dict]) -> list[dict] | None:
    """The YAML with each line's problems' severity, for highlighting; None for a workbook."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    marks: dict[int, str] = {}
    for problem in problems:
        if problem.get("line"):
            marks.setdefault(problem["line"], problem["severity"])
    raw = path.read_bytes()
    text = (decode_text(raw) or (raw.decode("utf-8", errors="replace"), ""))[0]
    return [{"number": i, "text": line, "mark": marks.get(i, "")} for i, line in enumerate(text.splitlines(), start=1)]


def editable(settings: Settings, name: str) -> Path:
    """The YAML file `name` names; a workbook is edited in Excel or WPS, not here."""
    path = settings.folder.resolve(name)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise Refused("工作簿请在 Excel 或 WPS 中修改后重新上传；网页上只能编辑 YAML 文件。", 400)
    return path


def unfinished(request: Request, title: str, reason: Exception | str) -> HTMLResponse:
    return page(request, "message.html.j2", status=500, title=title, message=str(reason).splitlines()[0])


@requires("edit")
async def edit(request: Request) -> Response:
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        editable(settings, name)
        found = settings.folder.read_text(name)
    except Refused as exc:
        return refused(request, exc)
    return page(
        request,
        "edit.html.j2",
        name=name,
        text=found.text,
        file_version=found.version,
        encoding=found.encoding,
        result=None,
    )


@requires("edit")
async def check_edited(request: Request) -> Response:
    """检查: the edited text checked as it stands, nothing saved."""
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = editable(settings, name)
        form = await verified_form(request)
        text = str(form.get("text", ""))
        result = await limited(
            check_text, text, path.suffix, str(path.parent), name, settings.dirs, seconds=settings.check_seconds
        )
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "检查未完成", exc)
    return page(
        request,
        "edit.html.j2",
        name=name,
        text=text,
        file_version=str(form.get("version", "")),
        encoding=str(form.get("encoding", "UTF-8")),
        result=result,
        groups=grouped(result["problems"]),
    )


@requires("edit")
async def save(request: Request) -> Response:
    """保存: an atomic write, the previous version kept in .budgetgen-backup/; refused when the file
    changed since this page was opened, with both texts shown — never a lost update."""
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        editable(settings, name)
        form = await verified_form(request)
        text = str(form.get("text", "")).replace("\r\n", "\n")
        data = text.encode("utf-8")
        if len(data) > MAX_UPLOAD_BYTES:
            raise Refused("文件超过 5 MB，未保存。", 400)
        await run_in_threadpool(settings.folder.save, name, data, str(form.get("version") or "") or None)
        await run_in_threadpool(touched, request, name)
    except Refused as exc:
        return refused(request, exc)
    except Conflict as exc:
        return conflict(request, name, exc.current, text)
    converted = "（原为 GB18030 编码，已改存为 UTF-8）" if form.get("encoding") == "GB18030" else ""
    return to_department(name, f"已保存{converted}（原文件已备份）")


def conflict(request: Request, name: str, current: bytes, mine: str) -> HTMLResponse:
    theirs = current.decode("utf-8", errors="replace") if current else ""
    lines = list(
        difflib.unified_diff(
            theirs.splitlines(), mine.splitlines(), "文件中现在的内容", "您要保存的内容", lineterm="", n=2
        )
    )
    version = version_of(current) if current else ""
    return page(request, "conflict.html.j2", status=409, name=name, diff=lines[:2000], mine=mine, file_version=version)


@requires("build")
async def build(request: Request) -> Response:
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = settings.folder.resolve(name)
        form = await verified_form(request)
        formats = chosen_formats(form)
        output = settings.folder.output_folder(name)
        result = await limited(
            build_file, str(path), str(output), formats, settings.dirs, name, seconds=settings.build_seconds
        )
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "生成未完成", f"「{name}」{str(exc).splitlines()[0]}；原有的输出文件未改动。")
    if not result["ok"]:
        return to_department(
            name,
            f"有 {sum(1 for p in result['problems'] if p['severity'] == '错误')} 个错误，"
            "未生成文件（原有输出文件未改动）",
            "error",
        )
    return to_department(name, "已生成 " + "、".join(result["written"]))


@requires("edit")
async def import_export(request: Request) -> Response:
    """导入: the budget system's export becomes <name>.yaml beside it (or updates its numbers)."""
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = settings.folder.resolve(name)
        form = await verified_form(request)
        template = str(form.get("template") or "base")
        target = str(Path(name).with_suffix(".yaml").as_posix())
        existing = settings.folder.resolve(target, must_exist=False)
        result = await limited(
            import_workbook_as_yaml,
            str(path),
            name,
            template,
            str(existing) if existing.is_file() else None,
            seconds=settings.check_seconds,
        )
        if not result["ok"]:
            return page(
                request,
                "message.html.j2",
                status=400,
                title="未能导入",
                message="；".join(f"{p['where']} {p['message']}" for p in result["problems"][:5]),
            )
        await run_in_threadpool(settings.folder.save, target, result["text"].encode("utf-8"))
        await run_in_threadpool(touched, request, target)
        moved = await run_in_threadpool(settings.folder.archive, name)
        settings.statuses.pop(name, None)
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "导入未完成", exc)
    note = (
        f"已由 {name} 导入：{result['lines']} 行支出"
        + (f"，{result['confirm']} 行需要确认（见行末注释）" if result["confirm"] else "")
        + f"；导出表已移到 {moved}，不再列为部门"
    )
    return to_department(target, note)


@requires("read")
async def built_file(request: Request) -> Response:
    settings = settings_of(request)
    fmt, name = request.path_params["fmt"], request.path_params["name"]
    try:
        if fmt not in FORMATS:
            raise Refused("没有这种格式")
        path = settings.folder.output_file(name, fmt)
        if not path.is_file():
            raise Refused("尚未生成：请先在部门页面点“生成”。")
    except Refused as exc:
        return refused(request, exc)
    inline = fmt == "pdf" and request.query_params.get("inline") == "1"
    return FileResponse(
        path, media_type=MEDIA[fmt], filename=path.name, content_disposition_type="inline" if inline else "attachment"
    )


@requires("batch", scoped=False)
async def batch_page(request: Request) -> HTMLResponse:
    settings = settings_of(request)
    accounts = await run_in_threadpool(lambda: settings.accounts.configured)
    return page(
        request,
        "batch.html.j2",
        state=settings.batch.snapshot(),
        publishing=settings.publishing.snapshot(),
        count=len(settings.folder.departments()),
        approved=len(await run_in_threadpool(settings.accounts.in_state, "已审核")) if accounts else None,
        accounts=accounts,
        summary=(settings.folder.output / "汇总.html").is_file(),
        **flash_of(request),
    )


@requires("batch", scoped=False)
async def batch_start(request: Request) -> Response:
    """Build every department, or (with accounts) only the approved ones: the 汇总 then sums those."""
    settings = settings_of(request)
    try:
        form = await verified_form(request)
    except Refused as exc:
        return refused(request, exc)
    formats = chosen_formats(form)
    names = settings.folder.departments()
    if form.get("scope") == "approved":
        approved = set(await run_in_threadpool(settings.accounts.in_state, "已审核"))
        approved |= set(await run_in_threadpool(settings.accounts.in_state, "已发布"))
        names = [n for n in names if n in approved]
        if not names:
            return refused(request, Refused("还没有审核通过的部门。", 409))
    files = [settings.folder.resolve(n) for n in names]
    start_batch(settings.batch, files, settings.folder.output, formats, settings.template_dirs, settings.build_seconds)
    return RedirectResponse("/batch", status_code=303)


@requires("batch", scoped=False)
async def batch_status(request: Request) -> JSONResponse:
    return JSONResponse(settings_of(request).batch.snapshot())


@requires("batch", scoped=False)
async def summary(request: Request) -> Response:
    path = settings_of(request).folder.output / "汇总.html"
    if not path.is_file():
        return refused(request, Refused("还没有汇总：请先在“全市批量生成”页面运行一次。"))
    return FileResponse(path, media_type="text/html; charset=utf-8")


# ---------------------------------------------------------------- forms, new, remove, versions

MAX_FORM_FIELDS = 50_000  # a department of 100 projects with their indicators, as forms


@requires("edit")
async def form_editor(request: Request) -> Response:
    """The department in forms laid out from the input model (web/forms.py): 检查 shows every
    problem next to its field; 保存 writes only what changed into the YAML (comments kept), refused
    when the file changed since the page was opened."""
    settings = settings_of(request)
    name = request.path_params["name"]
    fields, action, version = None, "", ""
    try:
        path = editable(settings, name)
        if request.method == "POST":
            form = await verified_form(request, max_fields=MAX_FORM_FIELDS)
            action = str(form.get("action") or "check")
            version = str(form.get("version") or "")
            fields = [(k, str(v)) for k, v in form.multi_items() if "\t" in k]
        result = await limited(
            form_page, str(path), name, settings.dirs, fields, action == "save", seconds=settings.check_seconds
        )
        message, kind = "", "success"
        if action == "save":
            if result["text"] is None:
                message, kind = "表格中有无法读取的内容（见下面标出的字段），未保存。", "error"
            else:
                await run_in_threadpool(settings.folder.save, name, result["text"].encode("utf-8"), version or None)
                await run_in_threadpool(touched, request, name)
                message = "已保存（原文件已备份，只改动了修改过的部分）"
        found = settings.folder.read_text(name)
    except Refused as exc:
        return refused(request, exc)
    except Conflict as exc:
        return conflict(request, name, exc.current, result["text"] or "")
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "检查未完成", exc)
    by_input: dict[str, list] = {}
    for problem in result["problems"]:
        if problem.get("input"):
            by_input.setdefault(problem["input"], []).append(problem)
    return page(
        request,
        "form.html.j2",
        name=name,
        parts=result["parts"],
        problems=result["problems"],
        by_input=by_input,
        datalists=result["datalists"],
        file_version=found.version,
        flash=message,
        flash_kind=kind,
    )


@requires("create", scoped=False)
async def new_department(request: Request) -> Response:
    """新建部门: empty (the starter), from a filled-in workbook, from last year's department, or
    from the budget system's export; never over an existing file."""
    from .tasks import new_department_text

    settings = settings_of(request)
    try:
        form = await verified_form(request, files=1)
        source = str(form.get("source") or "empty")
        department_name = str(form.get("name") or "").strip()
        template = str(form.get("template") or "base")
        previous = str(form.get("previous") or "")
        upload_path = None
        sent = form.get("file")
        if source in ("workbook", "export"):
            if sent is None or not getattr(sent, "filename", ""):
                raise Refused("请选择要上传的工作簿。", 400)
            data = await sent.read(MAX_UPLOAD_BYTES + 1)
            problem = upload_problem(safe_upload_name(sent.filename), data)
            if problem:
                raise Refused(f"未接收：{problem}。", 400)
            upload_path = await run_in_threadpool(settings.folder.keep_upload, safe_upload_name(sent.filename), data)
        if source == "previous":
            previous = str(settings.folder.resolve(previous))
        result = await limited(
            new_department_text,
            source,
            department_name,
            template,
            str(upload_path) if upload_path else previous,
            str(settings.folder.root),
            seconds=settings.build_seconds,
        )
        if not result["ok"]:
            raise Refused("；".join(f"{p['where']} {p['message']}" for p in result["problems"][:5]), 400)
        target = result["file"]
        if settings.folder.resolve(target, must_exist=False).exists():
            raise Refused(f"已有部门文件「{target}」，未改动。请换一个名称，或在该部门的页面上修改。", 409)
        await run_in_threadpool(settings.folder.save, target, result["text"].encode("utf-8"))
        await run_in_threadpool(touched, request, target)
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "新建未完成", exc)
    return to_department(target, result["note"])


@requires("create")
async def remove_department(request: Request) -> Response:
    """删除: the department's file (and its outputs) moved into the backup folder, never destroyed."""
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        await verified_form(request)
        kept = await run_in_threadpool(settings.folder.archive, name)
    except Refused as exc:
        return refused(request, exc)
    settings.statuses.pop(name, None)
    message = f"已删除「{name}」：文件移到了 {kept}，需要时可以找回。"
    return RedirectResponse("/?msg=" + quote(message) + "&kind=success", status_code=303)


@requires("read")
async def versions(request: Request) -> Response:
    """A department's saved versions; any one compared with the file now, with another version, or
    with another department file (last year's), figures and texts side by side."""
    from .tasks import version_differences

    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = editable(settings, name)
        kept = settings.folder.versions(name)
        chosen = request.query_params.get("v", "")
        other = request.query_params.get("with", "")
        difference, compared = None, ""
        if chosen:
            older = next((v for v in kept if v.name == chosen), None)
            if older is None and chosen in settings.folder.departments() and actor_of(request).may("read", chosen):
                older = settings.folder.resolve(chosen)  # another department file: last year's
            if older is None:
                raise Refused("没有这个版本")
            newer = next((v for v in kept if v.name == other), None) if other else path
            if newer is None:
                raise Refused("没有这个版本")
            compared = other or "现在"
            difference = await limited(
                version_differences, str(older), str(newer), settings.dirs, seconds=settings.check_seconds
            )
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return unfinished(request, "比较未完成", exc)
    return page(
        request,
        "versions.html.j2",
        name=name,
        versions=[{"file": v.name, "when": _when(v)} for v in kept],
        others=[
            d
            for d in settings.folder.departments()
            if d != name and d.endswith((".yaml", ".yml")) and actor_of(request).may("read", d)
        ],
        chosen=chosen,
        compared=compared,
        difference=difference,
        **flash_of(request),
    )


def _when(path: Path) -> str:
    import time as clock

    return clock.strftime("%Y-%m-%d %H:%M:%S", clock.localtime(path.stat().st_mtime))


@requires("edit")
async def restore_version(request: Request) -> Response:
    """恢复: a saved version becomes the file again — itself a new version (the current one is kept)."""
    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        form = await verified_form(request)
        chosen = str(form.get("v") or "")
        backup = next((v for v in settings.folder.versions(name) if v.name == chosen), None)
        if backup is None:
            raise Refused("没有这个版本")
        await run_in_threadpool(settings.folder.save, name, backup.read_bytes())
        await run_in_threadpool(touched, request, name)
    except Refused as exc:
        return refused(request, exc)
    return to_department(name, f"已恢复为 {chosen} 的内容（恢复前的内容另存为一个版本）")


@requires("read")
async def outputs_zip(request: Request) -> Response:
    """All built files of a department in one zip named 编码-名称.zip."""
    import io
    import zipfile

    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        folder = settings.folder.output_folder(name)
        files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        if not files:
            raise Refused("尚未生成：请先在部门页面点“生成”。")
        status = settings.statuses.get(name, (None, {}))[1]
        stem = "-".join(str(x) for x in (status.get("code"), status.get("name")) if x) or Path(name).stem
    except Refused as exc:
        return refused(request, exc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, file.name)
    filename = f"{stem}.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
