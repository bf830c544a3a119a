"""The web page over HTTP (issue 15): every route, the folder as a jail, uploads, CSRF, time limits."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, folder_of_examples, invoke
from starlette.testclient import TestClient

from budgetgen.web import create_app

TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture()
def served(tmp_path):
    folder = folder_of_examples(tmp_path / "部门")
    (tmp_path / "secret.yaml").write_text("部门: {编码: '1'}\n", encoding="utf-8")
    client = local_client(create_app(folder, check_seconds=60, build_seconds=120))
    return client, folder, tmp_path


def local_client(app) -> TestClient:
    """A browser on the serving machine: it names the server 127.0.0.1, as the page is opened."""
    return TestClient(app, base_url="http://127.0.0.1")


def token_of(client: TestClient, path: str = "/batch") -> str:
    """The session's form token, from a page that checks no department (the list checks them all)."""
    return TOKEN.search(client.get(path).text).group(1)


def test_the_list_shows_each_department_with_status_and_totals(served):
    client, folder, _ = served
    page = client.get("/")
    assert page.status_code == 200
    for example in EXAMPLES.glob("*.yaml"):
        assert f'href="/d/{example.name}"' in page.text
    assert "秦皇岛市工业和信息化局" in page.text and "4212.66" in page.text and "有警告" in page.text
    assert "budgetgen_token" in page.headers["set-cookie"] and "samesite=strict" in page.headers["set-cookie"].lower()


def test_a_department_page_has_problems_tables_source_and_actions(served):
    client, folder, _ = served
    page = client.get("/d/qinhuangdao-gxj-2023.yaml")
    assert page.status_code == 200
    assert "警告（3）" in page.text and "qinhuangdao-gxj-2023.yaml:" in page.text and "处理办法" in page.text
    assert "部门预算收支总表" in page.text and "4212.66" in page.text
    assert 'id="L1"' in page.text and "mark-警告" in page.text
    assert "（字段 项目[5].绩效指标）" in page.text, "fields are named as the command line names them (from 1)"
    assert (
        'action="/build/qinhuangdao-gxj-2023.yaml"' in page.text
        and 'href="/edit/qinhuangdao-gxj-2023.yaml"' in page.text
    )


@pytest.mark.slow
def test_a_build_from_the_page_gives_the_same_pdf_as_the_command_line(served, tmp_path):
    client, folder, _ = served
    token = token_of(client)
    built = client.post(
        "/build/haigang-kgxj-2025.yaml",
        data={"csrf": token, "pdf": "1", "docx": "1", "xlsx": "1"},
        follow_redirects=False,
    )
    assert built.status_code == 303 and "%E5%B7%B2%E7%94%9F%E6%88%90" in built.headers["location"]  # 已生成
    page = client.get(built.headers["location"])
    assert 'id="download-pdf"' in page.text and 'id="pdf-preview"' in page.text
    pdf = client.get("/file/pdf/haigang-kgxj-2025.yaml")
    assert (
        pdf.status_code == 200
        and pdf.headers["content-type"] == "application/pdf"
        and "attachment" in pdf.headers["content-disposition"]
    )
    assert "inline" in client.get("/file/pdf/haigang-kgxj-2025.yaml?inline=1").headers["content-disposition"]
    assert client.get("/file/docx/haigang-kgxj-2025.yaml").content[:2] == b"PK"
    assert client.get("/file/xlsx/haigang-kgxj-2025.yaml").content[:2] == b"PK"
    cli_out = tmp_path / "cli"
    assert invoke("build", EXAMPLES / "haigang-kgxj-2025.yaml", "-o", cli_out, "--format", "pdf").exit_code == 0
    assert pdf.content == (cli_out / "haigang-kgxj-2025.pdf").read_bytes()


def test_edit_check_and_save(served):
    client, folder, _ = served
    path = folder / "haigang-kgxj-2025.yaml"
    original = path.read_text(encoding="utf-8")
    token = token_of(client, "/edit/haigang-kgxj-2025.yaml")
    broken = original.replace("{科目: 30101, 金额: 63.19}", "{科目: 30101, 金额: -63.19}")
    checked = client.post("/check/haigang-kgxj-2025.yaml", data={"csrf": token, "text": broken})
    assert checked.status_code == 200 and "错误" in checked.text and "haigang-kgxj-2025.yaml:" in checked.text
    assert path.read_text(encoding="utf-8") == original, "检查 does not save"
    fixed = original.replace("预算年度: 2025", "预算年度: 2025\n# 已核对")
    saved = client.post("/save/haigang-kgxj-2025.yaml", data={"csrf": token, "text": fixed}, follow_redirects=False)
    assert saved.status_code == 303
    assert path.read_text(encoding="utf-8") == fixed
    backups = list((folder / ".budgetgen-backup").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == original
    assert 'href="/d/.budgetgen-backup' not in client.get("/").text, "backups are not departments"


def test_upload_of_a_yaml_and_a_workbook(served):
    client, folder, _ = served
    token = token_of(client)
    text = (EXAMPLES / "haigang-kgxj-2025.yaml").read_bytes()
    response = client.post(
        "/upload",
        data={"csrf": token},
        files={"file": ("新部门.yaml", text, "application/x-yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and (folder / "新部门.yaml").read_bytes() == text
    workbook = folder / "填写.xlsx"
    assert invoke("new", "某某局", "--xlsx", "-o", workbook).exit_code == 0
    data = workbook.read_bytes()
    workbook.unlink()
    assert (
        client.post(
            "/upload", data={"csrf": token}, files={"file": ("填写.xlsx", data)}, follow_redirects=False
        ).status_code
        == 303
    )
    page = client.get("/d/填写.xlsx")
    assert page.status_code == 200 and "源文件" not in page.text and 'href="/edit/' not in page.text
    refused = client.post("/save/填写.xlsx", data={"csrf": token, "text": "x"})
    assert refused.status_code == 400 and "Excel 或 WPS" in refused.text and (folder / "填写.xlsx").read_bytes() == data


@pytest.mark.parametrize(
    "filename, data, reason",
    [
        ("notes.txt", b"hello", "只接受部门文件"),
        ("fake.xlsx", b"not a zip", "不是 Excel 工作簿"),
        ("gbk.yaml", "部门".encode("gbk"), "UTF-8"),
        ("../../escape.yaml", b"a: 1\n", None),  # the folder part a browser may send is dropped
        ("lmth\u202e.yaml", b"a: 1\n", "看不见的字符（U+202E"),
    ],
)
def test_uploads_are_checked_for_type_and_name(served, filename, data, reason):
    client, folder, tmp_path = served
    response = client.post(
        "/upload", data={"csrf": token_of(client)}, files={"file": (filename, data)}, follow_redirects=False
    )
    if reason is None:
        assert (
            response.status_code == 303
            and (folder / "escape.yaml").is_file()
            and not (tmp_path.parent / "escape.yaml").exists()
        )
    else:
        assert response.status_code == 400 and reason in response.text


def test_an_oversized_upload_is_refused_without_reading_it(served):
    client, folder, _ = served
    token = token_of(client)

    def body():
        for _ in range(200):  # 200 MB, sent without a Content-Length
            yield b"x" * (1024 * 1024)

    response = client.post(
        "/upload", content=body(), headers={"content-type": "multipart/form-data; boundary=x", "x-csrf-token": token}
    )
    assert response.status_code == 413 and "未接收" in response.text
    big = client.post(
        "/upload",
        content=b"x",
        headers={"content-length": str(200 * 1024 * 1024), "content-type": "multipart/form-data; boundary=x"},
    )
    assert big.status_code == 413


def test_requests_that_change_files_need_the_sessions_token(served):
    client, folder, _ = served
    path = folder / "haigang-kgxj-2025.yaml"
    original = path.read_bytes()
    for url, data in (
        ("/save/haigang-kgxj-2025.yaml", {"text": "x: 1\n"}),
        ("/build/haigang-kgxj-2025.yaml", {}),
        ("/batch/start", {}),
    ):
        assert client.post(url, data=data).status_code == 403
        assert client.post(url, data={**data, "csrf": "forged"}).status_code == 403
    other = local_client(client.app)  # another browser: its own cookie, not this page's token
    token = token_of(client)
    assert other.post("/save/haigang-kgxj-2025.yaml", data={"csrf": token, "text": "x: 1\n"}).status_code == 403
    assert path.read_bytes() == original and not (folder / "output").exists()


TRAVERSALS = [
    "/d/%2e%2e/secret.yaml",
    "/d/..%2fsecret.yaml",
    "/d/%2e%2e%2fsecret.yaml",
    "/d/%252e%252e%252fsecret.yaml",
    "/d//etc/passwd.yaml",
    "/d/%2Fetc%2Fpasswd.yaml",
    "/d/..\\secret.yaml",
    "/d/C:/secret.yaml",
    "/d/sub/../../secret.yaml",
    "/d/link.yaml",
    "/d/.budgetgen-backup/x.yaml",
    "/d/output/x.yaml",
    "/d/secret.yaml%00.yaml",
    "/edit/%2e%2e/secret.yaml",
    "/file/pdf/%2e%2e/secret.yaml",
    "/d/pyproject.toml",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_nothing_outside_the_folder_can_be_read(served, url):
    client, folder, tmp_path = served
    os.symlink(tmp_path / "secret.yaml", folder / "link.yaml")
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert "编码: '1'" not in response.text and "root:" not in response.text


@pytest.mark.parametrize("name", ["%2e%2e/secret.yaml", "link.yaml", "sub/../../secret.yaml"])
def test_nothing_outside_the_folder_can_be_written(served, name):
    client, folder, tmp_path = served
    os.symlink(tmp_path / "secret.yaml", folder / "link.yaml")
    before = (tmp_path / "secret.yaml").read_bytes()
    response = client.post(f"/save/{name}", data={"csrf": token_of(client), "text": "被改写\n"})
    assert response.status_code in (400, 404)
    assert (tmp_path / "secret.yaml").read_bytes() == before


def test_the_link_pointing_out_is_not_listed(served):
    client, folder, tmp_path = served
    os.symlink(tmp_path / "secret.yaml", folder / "link.yaml")
    assert "link.yaml" not in client.get("/").text


@pytest.mark.slow
def test_a_file_that_would_build_forever_is_stopped(tmp_path):
    folder = tmp_path / "部门"
    (folder / "templates" / "forever").mkdir(parents=True)
    (folder / "templates" / "forever" / "theme.yaml").write_text("extends: base\n", encoding="utf-8")
    base = (Path(__file__).resolve().parents[1] / "templates" / "base" / "document.html.j2").read_text(encoding="utf-8")
    looping = base.replace(
        "<body>", "<body>{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", 1
    )
    (folder / "templates" / "forever" / "document.html.j2").write_text(looping, encoding="utf-8")
    text = (
        (EXAMPLES / "haigang-kgxj-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("模板: hebei-district-2025", "模板: forever")
    )
    (folder / "forever.yaml").write_text(text, encoding="utf-8")
    client = local_client(create_app(folder, check_seconds=2, build_seconds=2))
    page = client.get("/d/forever.yaml")
    assert page.status_code == 500 and "超过 2 秒仍未完成" in page.text
    built = client.post("/build/forever.yaml", data={"csrf": token_of(client), "pdf": "1"})
    assert built.status_code == 500 and "超过 2 秒仍未完成" in built.text and "原有的输出文件未改动" in built.text
    assert not list(folder.rglob("*.pdf"))
    assert client.get("/").status_code == 200, "the server still answers"


def test_batch_from_the_page(served):
    client, folder, _ = served
    import time

    started = client.post(
        "/batch/start", data={"csrf": token_of(client, "/batch"), "xlsx": "1"}, follow_redirects=False
    )
    assert started.status_code == 303
    for _ in range(120):
        status = client.get("/batch/status").json()
        if not status["running"]:
            break
        time.sleep(0.5)
    examples = len(list(EXAMPLES.glob("*.yaml")))
    assert status["finished"] == examples and status["counts"]["有警告"] == examples and "汇总" in status["message"]
    assert {r["file"] for r in status["rows"]} == {p.name for p in EXAMPLES.glob("*.yaml")}, (
        "names as in the folder, not server paths"
    )
    assert (folder / "output" / "haigang-kgxj-2025" / "haigang-kgxj-2025.xlsx").is_file()
    summary = client.get("/summary")
    assert summary.status_code == 200 and "全市合计" in summary.text
    assert "batch-progress" in client.get("/batch").text


def test_unknown_pages_and_methods_answer_in_chinese(served):
    client, _, _ = served
    assert "没有这个页面" in client.get("/nowhere").text
    missing = client.get("/d/不存在.yaml")
    assert missing.status_code == 404 and "没有这个部门文件" in missing.text
    assert client.get("/file/exe/haigang-kgxj-2025.yaml").status_code == 404
    assert "尚未生成" in client.get("/file/pdf/haigang-kgxj-2025.yaml").text
    assert client.get("/static/site.css").status_code == 200 and client.get("/static/../app.py").status_code == 404
    assert client.get("/upload").status_code == 405


def test_serve_examples_lists_the_three_examples_without_writing(tmp_path):
    before = sorted(p.name for p in EXAMPLES.iterdir())
    page = local_client(create_app(EXAMPLES)).get("/")
    rows = re.findall(r'<td><a href="/d/([^"]+)">.*?<span class="status status-([^"]+)">', page.text, re.S)
    assert sorted(rows) == sorted((p.name, "有警告") for p in EXAMPLES.glob("*.yaml"))
    assert sorted(p.name for p in EXAMPLES.iterdir()) == before


def test_the_serve_command_starts_and_warns_about_other_hosts(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shutil.copy(EXAMPLES / "haigang-kgxj-2025.yaml", tmp_path / "dept.yaml")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "budgetgen",
            "serve",
            str(tmp_path),
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--no-accounts",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert 'href="/d/dept.yaml"' in page
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "没有用户账号" in err and f"http://127.0.0.1:{port}/" in out
    assert invoke("serve", tmp_path / "nowhere").exit_code == 1


def test_pages_allow_only_their_own_scripts(served):
    client, _, _ = served
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/site.js">' in client.get("/").text and "http" not in (
        Path(__file__).resolve().parents[1] / "src/budgetgen/web/static/site.js"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_export_of_the_budget_system_is_imported_from_the_page(served, tmp_path):
    """Uploaded, an export becomes the department's YAML at once and is not listed as a department;
    uploaded again (a fresh export), it replaces the numbers and keeps what the department wrote."""
    client, folder, _ = served
    invoke("build", EXAMPLES / "haigang-kgxj-2025.yaml", "-o", tmp_path / "export", "--format", "xlsx")
    data = (tmp_path / "export" / "haigang-kgxj-2025.xlsx").read_bytes()
    token = token_of(client)
    uploaded = client.post(
        "/upload", data={"csrf": token}, files={"file": ("公开表.xlsx", data)}, follow_redirects=False
    )
    assert uploaded.status_code == 303 and uploaded.headers["location"].startswith(
        "/d/%E5%85%AC%E5%BC%80%E8%A1%A8.yaml"
    )
    assert not (folder / "公开表.xlsx").exists(), "the export is kept in the backup folder, not listed"
    assert "公开表.xlsx" not in client.get("/").text
    yaml_text = (folder / "公开表.yaml").read_text(encoding="utf-8")
    ours = invoke("tables", folder / "公开表.yaml", "--json", "--neutral").output
    theirs = invoke("tables", EXAMPLES / "haigang-kgxj-2025.yaml", "--json", "--neutral").output
    assert [t["rows"] for t in json.loads(ours)["tables"]] == [t["rows"] for t in json.loads(theirs)["tables"]]
    (folder / "公开表.yaml").write_text(
        yaml_text.replace("职责与机构:", "# 本局的说明\n职责与机构:", 1), encoding="utf-8"
    )
    again = client.post("/upload", data={"csrf": token}, files={"file": ("公开表.xlsx", data)}, follow_redirects=False)
    assert again.status_code == 303 and "# 本局的说明" in (folder / "公开表.yaml").read_text(encoding="utf-8")
    chosen = client.post(
        "/new",
        data={"csrf": token, "source": "export", "template": "hebei-district-2025", "name": "海港区科工局"},
        files={"file": ("导出.xlsx", data)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303, chosen.text
    assert "模板: hebei-district-2025" in (folder / "海港区科工局.yaml").read_text(encoding="utf-8")


def test_a_bug_in_a_worker_is_said_in_chinese():
    from budgetgen.web.worker import WorkerFailed, run_limited

    with pytest.raises(WorkerFailed) as caught:
        run_limited(int, ("不是数字",), 10)
    assert (
        str(caught.value) == "budgetgen 内部错误（ValueError），请把该部门文件发给维护人员"
        and "Traceback" in caught.value.details
    )


def test_messages_name_the_file_as_the_folder_knows_it_not_its_server_path(served):
    client, folder, _ = served
    token = token_of(client)
    client.post(
        "/upload", data={"csrf": token}, files={"file": ("坏.xlsx", b"PK\x03\x04broken")}, follow_redirects=False
    )
    page = client.get("/d/坏.xlsx")
    assert "已损坏" in page.text and str(folder) not in page.text.replace(f'title="所服务的文件夹">{folder}<', "")
    checked = client.post("/check/haigang-kgxj-2025.yaml", data={"csrf": token, "text": '部门: {编码: "1"\n'})
    assert "haigang-kgxj-2025.yaml:1:" in checked.text and ".budgetgen-check." not in checked.text


def test_the_shanghai_department_page_shows_its_own_tables(served):
    """The page's table view follows the set: Shanghai's tables, in 元 with separators where the
    set prints them, the 三公 row in 万元."""
    client, folder, _ = served
    page = client.get("/d/putuo-sfj-2026.yaml")
    assert page.status_code == 200
    assert "2026年部门财务收支预算总表" in page.text and "96,282,213.44" in page.text
    assert "2026年部门“三公”经费和机关运行经费预算表" in page.text and "217.83" in page.text
