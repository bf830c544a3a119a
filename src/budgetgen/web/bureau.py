"""The bureau's work over departments: the review checklist of one, publishing one or every
approved one (the final outputs, built as `budgetgen build` builds them, named 编码-名称.<格式> in
the folder's 发布/ and made read-only), and the publish folder as one zip."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..builders import OUTPUTS
from .accounts import Actor
from .batchrun import BatchState
from .folder import Refused
from .pages import limited, refused, settings_of, verified_form
from .seam import accounts_of, actor_of, requires
from .worker import TimedOut, WorkerFailed, run_limited

PUBLISHED = "发布"
PUBLISHED_FORMATS = tuple(o.name for o in OUTPUTS if o.on_page)  # what the portal receives
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    )


@requires("read")
async def checklist(request: Request) -> Response:
    """The department's review checklist (公开情况检查表) as an XLSX the reviewer fills in."""
    from .tasks import review_checklist

    settings = settings_of(request)
    name = request.path_params["name"]
    try:
        path = settings.folder.resolve(name)
        data = await limited(review_checklist, str(path), name, settings.dirs, seconds=settings.check_seconds)
    except Refused as exc:
        return refused(request, exc)
    except (TimedOut, WorkerFailed) as exc:
        return refused(request, Refused(f"未能生成审核清单：{exc}", 500))
    return attachment(data, XLSX, f"{Path(name).stem}-审核清单.xlsx")


def publish(settings, name: str, actor: Actor, address: str) -> list[str]:
    """已审核 → 已发布: the final outputs into 发布/, read-only; the state changes only once they are
    there. Refused (nothing changed) when the state does not allow it or the build fails."""
    from .tasks import build_file

    accounts = settings.accounts
    path = settings.folder.resolve(name)
    try:
        accounts.check_transition(name, "已发布", actor)
    except (ValueError, PermissionError) as exc:
        raise Refused(str(exc), 409) from None
    target = settings.folder.root / PUBLISHED
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        arguments = (str(path), scratch, PUBLISHED_FORMATS, settings.dirs, name)
        try:
            result = run_limited(build_file, arguments, settings.build_seconds)
        except (TimedOut, WorkerFailed) as exc:
            raise Refused(f"生成失败，未发布：{exc}", 500) from None
        if not result["ok"]:
            raise Refused("生成失败，未发布：" + "；".join(p["message"] for p in result["problems"][:3]), 409)
        stem = "-".join(str(x) for x in (result.get("code"), result.get("name")) if x) or path.stem
        published = [_freeze(built, target / f"{stem}{built.suffix}") for built in sorted(Path(scratch).iterdir())]
    accounts.change_state(name, "已发布", actor)
    accounts.record(actor.name, "状态 → 已发布", name, "、".join(published), address)
    return published


def _freeze(built: Path, final: Path) -> str:
    if final.exists():
        os.chmod(final, 0o644)
    shutil.copyfile(built, final)
    os.chmod(final, 0o444)
    return final.name


@requires("publish", scoped=False)
async def publish_approved(request: Request) -> Response:
    """发布 every approved department, one after another, in the background; progress on /batch."""
    settings = settings_of(request)
    try:
        await verified_form(request)
    except Refused as exc:
        return refused(request, exc)
    names = await run_in_threadpool(accounts_of(request).in_state, "已审核")
    address = request.client.host if request.client else ""
    if not start_publishing(settings, names, actor_of(request), address):
        return refused(request, Refused("正在发布，请等这一轮完成。", 409))
    return RedirectResponse("/batch", status_code=303)


def start_publishing(settings, names: list[str], actor: Actor, address: str) -> bool:
    state: BatchState = settings.publishing
    with state.lock:
        if state.running:
            return False
        state.running, state.total, state.done, state.message = True, len(names), [], ""
        state.started, state.finished, state.root = time.monotonic(), 0.0, settings.folder.root
    threading.Thread(target=_publish_all, args=(settings, names, actor, address), daemon=True).start()
    return True


def _publish_all(settings, names: list[str], actor: Actor, address: str) -> None:
    state: BatchState = settings.publishing
    published = 0
    for name in names:
        try:
            files = publish(settings, name, actor, address)
            row = {"file": str(settings.folder.root / name), "name": "、".join(files), "status": "已发布"}
            published += 1
        except Refused as exc:
            row = {"file": str(settings.folder.root / name), "name": str(exc), "status": "未发布"}
        with state.lock:
            state.done.append(row)
    with state.lock:
        state.running, state.finished = False, time.monotonic()
        state.message = f"已发布 {published} 个，未发布 {len(names) - published} 个"


@requires("batch", scoped=False)
async def published_zip(request: Request) -> Response:
    """Everything in 发布/, as the portal receives it."""
    folder = settings_of(request).folder.root / PUBLISHED
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if not files:
        return refused(request, Refused("发布文件夹还是空的：先把审核通过的部门“发布”。"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, file.name)
    return attachment(buffer.getvalue(), "application/zip", f"{PUBLISHED}-{time.strftime('%Y%m%d')}.zip")
