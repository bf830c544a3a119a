"""Hostile and clumsy input, third round — `budgetgen serve` over HTTP against a real uvicorn: DNS
rebinding, client-chosen tokens, lost updates, encodings, long names, symlink loops, same-named
departments, huge workbooks and request floods."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import uvicorn
from conftest import EXAMPLES, REFERENCE_EXAMPLES, folder_of_examples, free_port
from test_hostile_round3 import million_cells

from budgetgen.web import create_app

pytestmark = pytest.mark.slow  # runs a real server and its workers

BUDGETGEN = Path(sys.executable).parent / "budgetgen"
TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]*)"')


class Server:
    """A real server over a folder, and a browser-like client that keeps its cookie."""

    def __init__(self, folder: Path, **limits) -> None:
        self.folder = folder
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(folder, **limits), host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.cookie = ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | dict | None = None,
        host: str | None = None,
        headers: dict | None = None,
        timeout: float = 120,
    ) -> tuple[int, str, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, urllib.parse.quote(path, safe="/?=&%"), body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        cookie = response.getheader("set-cookie")
        if cookie and host is None:
            self.cookie = cookie.split(";")[0]
        return response.status, data.decode("utf-8", errors="replace"), dict(response.getheaders())

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict, **kw):
        return self.request("POST", path, form, **kw)

    def token(self, path: str = "/batch") -> str:  # a page that checks no department
        return TOKEN.search(self.get(path)[1]).group(1)

    def upload(self, name: str, data: bytes) -> tuple[int, str, dict]:
        boundary = "----budgetgen-test"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{self.token()}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST", "/upload", body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture()
def served(tmp_path):
    folder = folder_of_examples(tmp_path / "部门")
    server = Server(folder, check_seconds=60, build_seconds=120)
    yield server
    server.stop()


NAME = "haigang-kgxj-2025.yaml"
ROUTES = [
    ("GET", "/"),
    ("GET", f"/d/{NAME}"),
    ("GET", f"/edit/{NAME}"),
    ("GET", f"/file/pdf/{NAME}"),
    ("GET", "/batch"),
    ("GET", "/batch/status"),
    ("GET", "/summary"),
    ("GET", "/static/site.css"),
    ("GET", "/nowhere"),
    ("POST", "/upload"),
    ("POST", f"/save/{NAME}"),
    ("POST", f"/check/{NAME}"),
    ("POST", f"/build/{NAME}"),
    ("POST", f"/import/{NAME}"),
    ("POST", "/batch/start"),
]


def test_a_foreign_host_is_refused_on_every_route(served):
    token = served.token()
    before = sorted(p.name for p in served.folder.rglob("*"))
    for method, path in ROUTES:
        for host in (f"evil.example:{served.port}", "evil.example", f"127.0.0.1.evil.example:{served.port}"):
            status, text, _ = served.request(
                method, path, {"csrf": token, "text": "x: 1\n"} if method == "POST" else None, host=host
            )
            assert status == 421 and "只接受以本机地址打开的请求" in text and "部门" not in text, (method, path, host)
    assert sorted(p.name for p in served.folder.rglob("*")) == before
    assert served.get("/")[0] == 200 and served.get("/", host=f"localhost:{served.port}")[0] == 200


def test_a_post_from_another_sites_page_is_refused(served):
    token = served.token()
    status, _, _ = served.post(
        f"/save/{NAME}", {"csrf": token, "text": "x: 1\n"}, headers={"Origin": "http://evil.example"}
    )
    assert status == 403 and (served.folder / NAME).read_bytes() == (EXAMPLES / NAME).read_bytes()


def test_allowed_host_names_are_served():
    app = create_app(EXAMPLES, allowed_hosts=("budget.office.lan",))
    from starlette.testclient import TestClient

    assert TestClient(app, base_url="http://budget.office.lan:8765").get("/").status_code == 200
    assert TestClient(app, base_url="http://other.lan:8765").get("/").status_code == 421


def test_a_client_chosen_cookie_and_token_pair_is_refused(served):
    served.cookie = "budgetgen_token=chosen-by-the-attacker"
    status, _, _ = served.post(f"/save/{NAME}", {"csrf": "chosen-by-the-attacker", "text": "x: 1\n"})
    assert status == 403 and (served.folder / NAME).read_bytes() == (EXAMPLES / NAME).read_bytes()
    served.cookie = ""
    other = Server(served.folder)
    try:
        foreign = other.token()  # a token of another server is no token here
        served.get("/")
        status, _, _ = served.post(f"/save/{NAME}", {"csrf": foreign, "text": "x: 1\n"})
        assert status == 403
    finally:
        other.stop()


def test_a_save_from_an_outdated_page_is_refused_with_the_difference(served):
    path = served.folder / NAME
    first = served.get(f"/edit/{NAME}")[1]
    stale_version = VERSION.search(first).group(1)
    token = served.token()
    original = path.read_text(encoding="utf-8")
    theirs = original.replace("部门:", "# 同事的修改\n部门:", 1)
    assert served.post(f"/save/{NAME}", {"csrf": token, "version": stale_version, "text": theirs})[0] == 303
    mine = original.replace("部门:", "# 我的修改\n部门:", 1)
    status, text, _ = served.post(f"/save/{NAME}", {"csrf": token, "version": stale_version, "text": mine})
    assert status == 409 and "在您打开编辑页之后已被修改" in text and "同事的修改" in text and "我的修改" in text
    assert path.read_text(encoding="utf-8") == theirs, "the colleague's edit is not lost"
    anyway = VERSION.search(text).group(1)  # 仍然保存: after seeing the difference
    assert served.post(f"/save/{NAME}", {"csrf": token, "version": anyway, "text": mine})[0] == 303
    assert path.read_text(encoding="utf-8") == mine
    assert theirs.encode() in [p.read_bytes() for p in (served.folder / ".budgetgen-backup").iterdir()]


def test_two_saves_in_one_second_keep_every_previous_version(served):
    path = served.folder / NAME
    original = path.read_bytes()
    token = served.token()
    versions = []
    for index in range(3):
        version = VERSION.search(served.get(f"/edit/{NAME}")[1]).group(1)
        text = original.decode() + f"\n# 第{index}次\n"
        assert served.post(f"/save/{NAME}", {"csrf": token, "version": version, "text": text})[0] == 303
        versions.append(text.encode())
    kept = sorted(p.read_bytes() for p in (served.folder / ".budgetgen-backup").iterdir())
    assert kept == sorted([original] + versions[:2])


def test_a_gb18030_file_is_edited_as_written_and_saved_as_utf8(served):
    path = served.folder / "旧.yaml"
    text = (EXAMPLES / NAME).read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    page = served.get("/edit/旧.yaml")[1]
    assert "此文件原为 GB18030 编码" in page and "秦皇岛市海港区" in page and "\ufffd" not in page
    version = VERSION.search(page).group(1)
    status, _, headers = served.post(
        "/save/旧.yaml", {"csrf": served.token(), "version": version, "encoding": "GB18030", "text": text}
    )
    assert status == 303 and "GB18030" in urllib.parse.unquote(headers["location"])
    assert path.read_text(encoding="utf-8") == text


def test_a_long_upload_name_is_refused_in_chinese(served):
    status, text, _ = served.upload("很长的部门名称" * 13 + ".yaml", (EXAMPLES / NAME).read_bytes())
    assert status == 400 and "文件名太长" in text


def test_a_symlink_loop_in_the_folder_leaves_every_page_working(served):
    (served.folder / "圈.yaml").symlink_to(served.folder / "圈.yaml")
    assert served.get("/")[0] == 200 and served.get("/batch")[0] == 200
    assert served.get("/d/圈.yaml")[0] == 404


def test_same_named_departments_in_two_subfolders_download_their_own_files(served):
    for sub, ref in (("甲区", "001"), ("乙区", "000")):
        (served.folder / sub).mkdir()
        shutil.copy(REFERENCE_EXAMPLES[ref], served.folder / sub / "财政局.yaml")
    token = served.token()
    for sub in ("甲区", "乙区"):
        assert served.post(f"/build/{sub}/财政局.yaml", {"csrf": token, "xlsx": "1"})[0] == 303
    first = served.get("/file/xlsx/甲区/财政局.yaml")[1]
    second = served.get("/file/xlsx/乙区/财政局.yaml")[1]
    assert first != second
    assert (served.folder / "output" / "甲区" / "财政局" / "财政局.xlsx").is_file() and (
        served.folder / "output" / "乙区" / "财政局" / "财政局.xlsx"
    ).is_file()


def test_a_million_cell_upload_is_refused_quickly_and_the_list_keeps_answering(served, tmp_path):
    workbook = tmp_path / "huge.xlsx"
    million_cells(workbook)
    assert served.upload("huge.xlsx", workbook.read_bytes())[0] == 303
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        department = pool.submit(served.get, "/d/huge.xlsx")
        time.sleep(0.2)
        status, page, _ = served.get("/")
        assert status == 200 and time.monotonic() - started < 30
        status, text, _ = department.result()
    assert time.monotonic() - started < 30
    assert "不像一个部门的预算公开表" in text
    assert "huge.xlsx" in page


def test_a_flood_of_department_pages_starts_at_most_one_worker_per_core(served):
    from budgetgen.web.worker import SLOTS

    slots = SLOTS._initial_value
    peak = 0
    done = threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            children = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == os.getpid()]
            peak = max(peak, len(children))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: served.get(f"/d/{NAME}")[0], range(16)))
    done.set()
    watcher.join()
    assert answers == [200] * 16
    assert 0 < peak <= slots


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def test_serve_on_a_port_in_use_says_so_in_chinese_before_announcing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(BUDGETGEN), "serve", str(EXAMPLES), "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1 and "端口已被占用" in result.stderr and "已启动" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "error" not in result.stderr.lower()


def test_an_html_table_uploaded_as_xls_is_named_for_what_it_is(served):
    status, text, _ = served.upload(
        "导出.xls", "<html><body><table><tr><td>部门预算支出总表</td></tr></table></body></html>".encode()
    )
    assert status == 400 and "是网页（HTML）格式的表格" in text and "另存为" in text
    assert not (served.folder / "导出.xls").exists()
