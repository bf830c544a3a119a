"""The bureau's server (issue 25), over HTTP: accounts and roles through one permission seam, a
填报人 who cannot reach another department by any route, the workflow from 草稿 to 已发布 with a
return for revision, the audit log, login limits, foreign and expired sessions, a broken database."""

from __future__ import annotations

import io
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from conftest import folder_of_examples, invoke
from starlette.routing import Route
from test_web import TOKEN, local_client

from budgetgen.web import create_app
from budgetgen.web.accounts import Accounts

MINE, OTHER = "qinhuangdao-gxj-2023.yaml", "xingtai-gxj-2022.yaml"
PASSWORD = "correct horse 1"


@pytest.fixture()
def bureau(tmp_path):
    folder = folder_of_examples(tmp_path / "部门")
    accounts = Accounts.beside(folder)
    accounts.add_user("王科长", "管理员", PASSWORD)
    accounts.add_user("审核员", "审核人", PASSWORD)
    accounts.add_user("李会计", "填报人", PASSWORD)
    accounts.assign("李会计", [MINE])
    app = create_app(folder, check_seconds=60, build_seconds=120)
    return app, folder, accounts


def logged_in(app, name: str):
    client = local_client(app)
    token = TOKEN.search(client.get("/login").text).group(1)
    answer = client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def token_of(client) -> str:
    return TOKEN.search(client.get("/").text).group(1)


def test_without_a_login_every_page_asks_for_one(bureau):
    app, _, _ = bureau
    client = local_client(app)
    for path in ("/", f"/d/{MINE}", f"/file/pdf/{MINE}", "/batch", "/audit"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path


def scoped_routes(app) -> list[tuple[str, str]]:
    return [
        (route.path, method)
        for route in app.routes
        if isinstance(route, Route) and "{name:path}" in route.path
        for method in sorted(route.methods or {"GET"})
        if method in ("GET", "POST")
    ]


def test_a_filler_reaches_no_other_department_by_any_route(bureau):
    app, folder, _ = bureau
    client = logged_in(app, "李会计")
    listed = client.get("/").text
    assert MINE in listed and OTHER not in listed
    token = token_of(client)
    routes = scoped_routes(app)
    assert len(routes) >= 14, routes
    before = (folder / OTHER).read_bytes()
    for path, method in routes:
        url = path.replace("{name:path}", OTHER).replace("{fmt}", "pdf")
        answer = client.get(url) if method == "GET" else client.post(url, data={"csrf": token, "state": "已提交"})
        assert answer.status_code == 404, (url, method, answer.status_code)
        guessed = path.replace("{name:path}", "不存在.yaml").replace("{fmt}", "pdf")
        missing = client.get(guessed) if method == "GET" else client.post(guessed, data={"csrf": token})
        assert missing.status_code == 404 and missing.text.count("没有这个页面") == answer.text.count("没有这个页面")
    assert (folder / OTHER).read_bytes() == before
    for path in ("/batch", "/audit"):
        assert client.get(path).status_code == 403
    assert client.post("/new", data={"csrf": token, "source": "empty", "name": "新局"}).status_code == 403
    upload = client.post("/upload", data={"csrf": token, "replace": "1"}, files={"file": (OTHER, b"x: 1\n")})
    assert upload.status_code == 404 and (folder / OTHER).read_bytes() == before
    assert client.get(f"/d/{MINE}").status_code == 200 and client.get(f"/form/{MINE}").status_code == 200


def test_a_reviewer_reads_everything_and_edits_nothing(bureau):
    app, folder, _ = bureau
    client = logged_in(app, "审核员")
    assert client.get(f"/d/{OTHER}").status_code == 200
    token = token_of(client)
    before = (folder / OTHER).read_bytes()
    assert client.post(f"/save/{OTHER}", data={"csrf": token, "text": "x"}).status_code == 404
    assert (folder / OTHER).read_bytes() == before
    assert client.get("/audit").status_code == 200


def state_of(client, name: str) -> str:
    return re.search(r'id="state">([^<]+)<', client.get(f"/d/{name}").text).group(1)


def test_a_department_goes_from_draft_to_published_with_one_return(bureau, tmp_path):
    app, folder, accounts = bureau
    filler, reviewer = logged_in(app, "李会计"), logged_in(app, "审核员")
    assert state_of(filler, MINE) == "草稿"
    page = filler.get(f"/d/{MINE}").text
    assert 'id="state-已提交"' in page and 'id="state-已审核"' not in page, "a filler sees only what they may do"
    filler_token, reviewer_token = token_of(filler), token_of(reviewer)
    assert filler.post(f"/state/{MINE}", data={"csrf": filler_token, "state": "已提交"}).status_code == 200
    assert state_of(filler, MINE) == "已提交"
    refused = filler.post(f"/state/{MINE}", data={"csrf": filler_token, "state": "已审核"})
    assert refused.status_code == 409 and state_of(filler, MINE) == "已提交"
    no_reason = reviewer.post(f"/state/{MINE}", data={"csrf": reviewer_token, "state": "已退回"})
    assert no_reason.status_code == 400
    returned = reviewer.post(
        f"/state/{MINE}", data={"csrf": reviewer_token, "state": "已退回", "comment": "请补充三公经费增减原因"}
    )
    assert returned.status_code == 200 and state_of(filler, MINE) == "已退回"
    assert "请补充三公经费增减原因" in filler.get(f"/d/{MINE}").text, "the filler sees the reviewer's comment"
    filler.post(f"/state/{MINE}", data={"csrf": filler_token, "state": "已提交"})
    without_reading = reviewer.post(f"/state/{MINE}", data={"csrf": reviewer_token, "state": "已审核"})
    assert without_reading.status_code == 409 and "已阅警告" in without_reading.text
    approved = reviewer.post(f"/state/{MINE}", data={"csrf": reviewer_token, "state": "已审核", "warnings_read": "1"})
    assert approved.status_code == 200 and state_of(reviewer, MINE) == "已审核"
    published = reviewer.post(f"/state/{MINE}", data={"csrf": reviewer_token, "state": "已发布"})
    assert published.status_code == 200 and state_of(reviewer, MINE) == "已发布"
    final = folder / "发布" / "471-秦皇岛市工业和信息化局.pdf"
    assert final.is_file() and not (final.stat().st_mode & 0o222), "published files are frozen"
    assert invoke("build", folder / MINE, "-o", tmp_path / "cli", "--format", "pdf").exit_code == 0
    assert final.read_bytes() == (tmp_path / "cli" / "qinhuangdao-gxj-2023.pdf").read_bytes()
    actions = [e["action"] for e in accounts.audit(MINE)]
    for expected in ("状态 → 已提交", "状态 → 已退回", "状态 → 已审核", "状态 → 已发布"):
        assert expected in actions, actions
    assert any(e["action"].startswith("拒绝") for e in accounts.audit()), "refusals are recorded too"


def test_editing_a_submitted_department_sends_it_back_to_draft(bureau):
    app, folder, _ = bureau
    filler = logged_in(app, "李会计")
    token = token_of(filler)
    filler.post(f"/state/{MINE}", data={"csrf": token, "state": "已提交"})
    page = filler.get(f"/edit/{MINE}").text
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    text = (folder / MINE).read_text(encoding="utf-8")
    filler.post(f"/save/{MINE}", data={"csrf": token, "version": version, "text": text + "# 补充\n"})
    assert state_of(filler, MINE) == "草稿"


def test_wrong_passwords_lock_the_account_and_say_nothing_about_who_exists(bureau):
    app, _, _ = bureau
    client = local_client(app)
    token = TOKEN.search(client.get("/login").text).group(1)

    def attempt(name, password):
        return client.post("/login", data={"csrf": token, "name": name, "password": password}, follow_redirects=False)

    unknown = attempt("没有这个人", "whatever")
    wrong = attempt("李会计", "wrong password")
    assert unknown.status_code == wrong.status_code == 401
    assert re.search(r'id="login-error">([^<]+)<', unknown.text).group(1) == re.search(
        r'id="login-error">([^<]+)<', wrong.text
    ).group(1)
    for _ in range(4):
        attempt("李会计", "wrong password")
    assert attempt("李会计", PASSWORD).status_code == 401, "locked after five wrong passwords"
    assert client.post("/login", data={"name": "王科长", "password": PASSWORD}).status_code == 403, "CSRF"


def test_a_foreign_or_expired_session_is_not_accepted(bureau):
    app, folder, accounts = bureau
    other = create_app(folder_of_examples(folder.parent / "其他"))
    Accounts.beside(folder.parent / "其他").add_user("李会计", "管理员", PASSWORD)
    foreign = logged_in(other, "李会计")
    client = local_client(app)
    client.cookies.set("budgetgen_session", foreign.cookies.get("budgetgen_session"))
    assert client.get("/", follow_redirects=False).status_code == 303
    mine = logged_in(app, "王科长")
    assert mine.get("/", follow_redirects=False).status_code == 200
    with sqlite3.connect(accounts.path) as db:
        db.execute("UPDATE sessions SET expires = ?", (time.time() - 1,))
    assert mine.get("/", follow_redirects=False).status_code == 303


def test_a_damaged_database_is_refused_in_chinese_and_the_files_still_build(bureau, tmp_path):
    app, folder, accounts = bureau
    accounts.path.write_bytes(b"this is not a database" * 100)
    answer = local_client(app).get("/")
    assert answer.status_code == 503 and "已损坏" in answer.text and "部门文件不受影响" in answer.text
    assert invoke("build", folder / MINE, "-o", tmp_path, "--format", "html").exit_code == 0


def test_a_database_from_a_newer_budgetgen_is_refused(bureau):
    app, _, accounts = bureau
    with sqlite3.connect(accounts.path) as db:
        db.execute("PRAGMA user_version = 99")
    answer = local_client(app).get("/")
    assert answer.status_code == 503 and "更新版本" in answer.text


def test_users_on_the_command_line_and_serve_refusing_the_network_without_accounts(tmp_path):
    folder = folder_of_examples(tmp_path / "部门")
    refused = invoke("serve", folder, "--host", "0.0.0.0", "--port", "1")
    assert refused.exit_code == 1 and "没有用户账号，不在 0.0.0.0 上监听" in refused.output
    assert (
        invoke("users", "add", "王科长", "--role", "管理员", "--password", PASSWORD, "--folder", folder).exit_code == 0
    )
    assert (
        invoke("users", "add", "李会计", "--role", "填报人", "--password", "short", "--folder", folder).exit_code == 1
    )
    assert invoke("users", "add", "李会计", "--role", "会计", "--password", PASSWORD, "--folder", folder).exit_code == 1
    invoke("users", "add", "李会计", "--role", "填报人", "--password", PASSWORD, "--folder", folder)
    assert invoke("users", "assign", "李会计", MINE, "--folder", folder).exit_code == 0
    listed = invoke("users", "list", "--folder", folder).output
    assert "王科长\t管理员\t（全部）" in listed and f"李会计\t填报人\t{MINE}" in listed
    assert invoke("users", "reset", "李会计", "--password", "another password", "--folder", folder).exit_code == 0
    assert invoke("users", "remove", "李会计", "--folder", folder).exit_code == 0
    assert "李会计" not in invoke("users", "list", "--folder", folder).output


def approve(client, name: str) -> None:
    token = token_of(client)
    client.post(f"/state/{name}", data={"csrf": token, "state": "已提交"})
    answer = client.post(f"/state/{name}", data={"csrf": token, "state": "已审核", "warnings_read": "1"})
    assert answer.status_code == 200 and state_of(client, name) == "已审核", answer.text[-400:]


def test_the_review_checklist_lists_every_table_every_check_and_what_a_person_confirms(bureau):
    from openpyxl import load_workbook

    from budgetgen.checks import REGISTRY

    app, folder, _ = bureau
    reviewer = logged_in(app, "审核员")
    answer = reviewer.get(f"/checklist/{MINE}")
    assert (
        answer.status_code == 200
        and "%E5%AE%A1%E6%A0%B8%E6%B8%85%E5%8D%95.xlsx" in answer.headers["content-disposition"]
    )
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet["A1"].value == "秦皇岛市工业和信息化局 2023 年部门预算公开审核清单"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3) if row[0].value]
    subjects = {row[2]: row for row in rows}
    assert any(subject.endswith("收支总表") and row[4].startswith("已列示") for subject, row in subjects.items())
    tables = [row for row in rows if row[1] == "表格"]
    assert len(tables) >= 9 and all(row[3] == "通过" for row in tables), tables
    assert any("基金" in row[2] and "空表，附说明" in row[4] for row in tables), "an empty table names its note"
    checks = [row for row in rows if row[1] == "核对"]
    assert len(checks) == len(REGISTRY) + 1
    assert any(row[2] == "比较的基数为 2022 年预算数" and "上年" in row[4] for row in rows)
    assert sheet.cell(row=len(rows) + 4, column=3).value.startswith("合计：通过")
    assert reviewer.get(f"/checklist/{MINE}").content == answer.content, "the same department, the same bytes"

    # a slip: the check that finds it is 不通过 and quotes where
    text = (folder / MINE).read_text(encoding="utf-8").replace("金额: 8.39}", "金额: 18.39}", 1)
    (folder / MINE).write_text(text, encoding="utf-8")
    broken = load_workbook(io.BytesIO(reviewer.get(f"/checklist/{MINE}").content)).active
    failed = [[c.value for c in row] for row in broken.iter_rows(min_row=3) if row[3].value == "不通过"]
    assert failed and all(MINE in row[4] for row in failed), failed


def test_a_filler_cannot_compare_with_another_department(bureau):
    app, _, _ = bureau
    filler = logged_in(app, "李会计")
    page = filler.get(f"/versions/{MINE}").text
    assert OTHER not in page
    assert filler.get(f"/versions/{MINE}", params={"v": OTHER}).status_code == 404


def test_the_list_shows_who_changed_a_department_last(bureau):
    app, folder, accounts = bureau
    filler = logged_in(app, "李会计")
    page = filler.get(f"/edit/{MINE}").text
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    text = (folder / MINE).read_text(encoding="utf-8")
    filler.post(f"/save/{MINE}", data={"csrf": token_of(filler), "version": version, "text": text + "# 补充\n"})
    listed = logged_in(app, "王科长").get("/").text
    row = re.search(rf"{re.escape(MINE)}.*?</tr>", listed, re.S).group(0)
    assert re.search(r'class="changed">李会计 \d{4}-\d\d-\d\d', row), row
    assert any(e["action"] == "修改" and e["actor"] == "李会计" for e in accounts.audit(MINE))


def wait_for(client, path: str, finished: str, seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = client.get(path).text
        if finished in text:
            return text
        time.sleep(0.5)
    raise AssertionError(text)


def test_every_approved_department_is_published_at_once_and_downloaded_as_one_zip(bureau, tmp_path):
    app, folder, accounts = bureau
    admin = logged_in(app, "王科长")
    assert admin.get("/published.zip").status_code == 404, "nothing published yet"
    for name in (MINE, OTHER):
        approve(admin, name)
    batch = admin.get("/batch").text
    assert "现有 2 个部门处于“已审核”" in batch
    admin.post("/publish-approved", data={"csrf": token_of(admin)})
    done = wait_for(admin, "/batch", "已发布 2 个，未发布 0 个")
    assert done.count("：已发布") == 2
    published = sorted(p.name for p in (folder / "发布").iterdir())
    assert len(published) == 6 and "471-秦皇岛市工业和信息化局.pdf" in published, published
    assert state_of(admin, MINE) == state_of(admin, OTHER) == "已发布"
    archive = zipfile.ZipFile(io.BytesIO(admin.get("/published.zip").content))
    assert sorted(archive.namelist()) == published
    assert (
        archive.read("471-秦皇岛市工业和信息化局.pdf")
        == (folder / "发布" / "471-秦皇岛市工业和信息化局.pdf").read_bytes()
    )
    assert logged_in(app, "李会计").get("/published.zip").status_code == 403


def test_the_batch_of_approved_departments_sums_only_those(bureau):
    app, folder, _ = bureau
    admin = logged_in(app, "王科长")
    approve(admin, MINE)
    admin.post("/batch/start", data={"csrf": token_of(admin), "pdf": "1", "scope": "approved"})
    wait_for(admin, "/batch/status", '"running":false')
    built = sorted(p.name for p in (folder / "output").iterdir() if p.is_dir())
    assert built == ["qinhuangdao-gxj-2023"], built
    html = (folder / "output" / "汇总.html").read_text(encoding="utf-8")
    assert "秦皇岛市工业和信息化局" in html and "邢台" not in html


def _save_many(root: str, name: str, prefix: str, count: int) -> None:
    from budgetgen.web.folder import Folder

    folder = Folder.at(Path(root))
    for i in range(count):
        folder.save(name, f"# {prefix} {i}\n".encode())


def test_two_servers_saving_the_same_department_at_once_keep_every_version(tmp_path):
    import multiprocessing

    from budgetgen.web.folder import Folder

    folder = folder_of_examples(tmp_path / "部门")
    original = (folder / MINE).read_bytes()
    context = multiprocessing.get_context("fork")
    servers = [context.Process(target=_save_many, args=(str(folder), MINE, p, 40)) for p in ("甲", "乙")]
    for server in servers:
        server.start()
    for server in servers:
        server.join(120)
        assert server.exitcode == 0
    kept = {v.read_bytes() for v in Folder.at(folder).versions(MINE)} | {(folder / MINE).read_bytes()}
    written = {f"# {p} {i}\n".encode() for p in ("甲", "乙") for i in range(40)} | {original}
    assert written <= kept, f"{len(written - kept)} versions lost"


def test_a_logged_in_session_still_needs_the_pages_token_to_change_anything(bureau):
    app, folder, accounts = bureau
    filler = logged_in(app, "李会计")
    before = (folder / MINE).read_bytes()
    forged = filler.post(f"/save/{MINE}", data={"text": "x: 1\n"})
    other_token = filler.post(f"/save/{MINE}", data={"csrf": "0" * 40, "text": "x: 1\n"})
    assert forged.status_code == other_token.status_code == 403
    assert (folder / MINE).read_bytes() == before
    assert filler.post(f"/state/{MINE}", data={"state": "已提交"}).status_code == 403
    assert accounts.state(MINE)["state"] == "草稿"
