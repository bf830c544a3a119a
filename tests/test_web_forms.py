"""The whole job on the web page without YAML (issue 24), over HTTP: forms laid out from the model,
problems beside their fields, saves that touch only what changed, new departments four ways,
uploads that never replace silently, remove, versions with differences and restore."""

from __future__ import annotations

import difflib
import html
import re

import pytest
from conftest import EXAMPLES
from test_web import TOKEN, local_client, token_of

from budgetgen.web import create_app

XINGTAI = "xingtai-gxj-2022.yaml"


@pytest.fixture()
def served(tmp_path):
    from conftest import folder_of_examples

    folder = folder_of_examples(tmp_path / "部门")
    return local_client(create_app(folder, check_seconds=60, build_seconds=120)), folder, tmp_path


def fields_of(page: str) -> list[tuple[str, str]]:
    """The fields the form posts, as a browser would: inputs, selects, textareas, in page order,
    the hidden template rows left out."""
    body = page.split('id="department-form"', 1)[1].split("</form>", 1)[0]
    body = re.sub(r'<tr class="row-template" hidden>.*?</tr>', "", body, flags=re.S)
    found = []
    pattern = re.compile(
        r'<input type="text" name="([^"]+)"[^>]*value="([^"]*)"|<textarea name="([^"]+)"[^>]*>(.*?)</textarea>'
        r'|<select name="([^"]+)"[^>]*>(.*?)</select>',
        re.S,
    )
    for m in pattern.finditer(body):
        if m.group(1):
            found.append((html.unescape(m.group(1)), html.unescape(m.group(2))))
        elif m.group(3):
            found.append((html.unescape(m.group(3)), html.unescape(m.group(4))))
        else:
            chosen = re.search(r"<option selected>([^<]*)</option>", m.group(6))
            found.append((html.unescape(m.group(5)), html.unescape(chosen.group(1)) if chosen else ""))
    return found


def post_form(client, name: str, fields, action: str, version: str | None = None):
    page = client.get(f"/form/{name}").text
    token = TOKEN.search(page).group(1)
    version = version or re.search(r'name="version" value="([^"]*)"', page).group(1)
    data = dict([("csrf", token), ("version", version), ("action", action), *fields])  # names are unique
    return client.post(f"/form/{name}", data=data)


def test_the_form_shows_every_part_filled_in_with_code_suggestions(served):
    client, folder, _ = served
    page = client.get(f"/form/{XINGTAI}")
    assert page.status_code == 200
    for part in ("部门", "职责与机构", "项目·绩效指标", "上年", "增减原因", "政府采购·来源·物品", "国有资产"):
        assert f'id="part-{part}"' in page.text, part
    assert "机关网络维护经费" in page.text
    assert '<datalist id="codes-function">' in page.text and '<option value="2010101">行政运行</option>' in page.text
    assert 'list="names-项目"' in page.text, "an indicator row names its project from the projects' list"
    values = dict(fields_of(page.text))
    assert values["F\t部门\t名称"] == "邢台市工业和信息化局"
    assert "提出全市新型工业化发展战略" in values["F\t职责与机构\t职责"]


def test_saving_an_unchanged_form_leaves_the_file_byte_for_byte(served):
    client, folder, _ = served
    before = (folder / XINGTAI).read_bytes()
    fields = fields_of(client.get(f"/form/{XINGTAI}").text)
    saved = post_form(client, XINGTAI, fields, "save")
    assert saved.status_code == 200 and "已保存" in saved.text
    assert (folder / XINGTAI).read_bytes() == before


def test_one_changed_field_changes_one_line_and_keeps_every_comment(served):
    client, folder, _ = served
    before = (folder / XINGTAI).read_text(encoding="utf-8")
    fields = fields_of(client.get(f"/form/{XINGTAI}").text)
    changed = [(k, v.replace("提出全市新型工业化发展战略", "研究提出全市新型工业化发展战略")) for k, v in fields]
    saved = post_form(client, XINGTAI, changed, "save")
    assert "已保存" in saved.text
    after = (folder / XINGTAI).read_text(encoding="utf-8")
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert len(diff) == 2 and "研究提出全市新型工业化发展战略" in diff[1], diff
    assert [c for c in before.splitlines() if c.strip().startswith("#")] == [
        c for c in after.splitlines() if c.strip().startswith("#")
    ]


def test_a_problem_is_shown_beside_its_field_and_nothing_is_saved_on_check(served):
    client, folder, _ = served
    before = (folder / XINGTAI).read_bytes()
    fields = fields_of(client.get(f"/form/{XINGTAI}").text)
    name = next(k for k, v in fields if k.startswith("F\t部门\t级次"))
    broken = [(k, "省" if k == name else v) for k, v in fields]
    checked = post_form(client, XINGTAI, broken, "check")
    assert checked.status_code == 200
    assert f'id="problem-1-{html.escape(name)}"' in checked.text or f'id="problem-1-{name}"' in checked.text
    assert "「级次」的值「省」不是可选值" in checked.text and 'class="jump"' in checked.text
    assert (folder / XINGTAI).read_bytes() == before


def test_an_indicator_row_added_in_the_form_reaches_the_file(served):
    client, folder, _ = served
    fields = fields_of(client.get(f"/form/{XINGTAI}").text)
    row = ("机关网络维护经费", "满意度指标", "服务对象满意度指标", "使用人员满意度", "满意度调查", "≥95%", "调查")
    added = fields + [(f"G\t项目·绩效指标\tnew1\t{i}", v) for i, v in enumerate(row)]
    saved = post_form(client, XINGTAI, added, "save")
    assert "已保存" in saved.text
    assert "使用人员满意度" in (folder / XINGTAI).read_text(encoding="utf-8")
    from budgetgen.analysis import analyse

    project = next(p for p in analyse(folder / XINGTAI).budget.projects if p.name == "机关网络维护经费")
    assert project.indicators[-1].description == "满意度调查"


def test_a_form_posted_for_a_file_changed_since_is_refused_with_the_difference(served):
    client, folder, _ = served
    fields = fields_of(client.get(f"/form/{XINGTAI}").text)
    changed = [(k, v.replace("提出全市新型工业化发展战略", "另一处改动")) for k, v in fields]
    stale = post_form(client, XINGTAI, changed, "save", version="0" * 20)
    assert stale.status_code == 409 and "另一处改动" in stale.text
    assert "另一处改动" not in (folder / XINGTAI).read_text(encoding="utf-8")


def test_new_departments_four_ways_and_never_over_an_existing_one(served, tmp_path):
    client, folder, _ = served
    token = token_of(client)
    empty = client.post("/new", data={"csrf": token, "source": "empty", "name": "某某市档案局"}, follow_redirects=False)
    assert empty.status_code == 303 and (folder / "某某市档案局.yaml").is_file()
    again = client.post("/new", data={"csrf": token, "source": "empty", "name": "某某市档案局"})
    assert again.status_code == 409 and "已有部门文件" in again.text
    previous = client.post(
        "/new",
        data={"csrf": token, "source": "previous", "previous": "qinhuangdao-gxj-2023.yaml"},
        follow_redirects=False,
    )
    assert previous.status_code == 303 and (folder / "qinhuangdao-gxj-2024.yaml").is_file()
    assert "待复核" in (folder / "qinhuangdao-gxj-2024.yaml").read_text(encoding="utf-8")
    from conftest import invoke

    invoke("workbook", EXAMPLES / "putuo-sfj-2026.yaml", "-o", tmp_path / "填好的.xlsx")
    workbook = client.post(
        "/new",
        data={"csrf": token, "source": "workbook"},
        files={"file": ("填好的.xlsx", (tmp_path / "填好的.xlsx").read_bytes())},
        follow_redirects=False,
    )
    assert workbook.status_code == 303, workbook.text
    made = next(p for p in folder.glob("*.yaml") if "司法局" in p.name)
    from budgetgen.analysis import analyse

    assert analyse(made).budget == analyse(EXAMPLES / "putuo-sfj-2026.yaml").budget


def test_an_upload_never_replaces_a_department_unless_asked_and_keeps_a_version(served):
    client, folder, _ = served
    token = token_of(client)
    original = (folder / XINGTAI).read_bytes()
    other = (EXAMPLES / "qinhuangdao-gxj-2023.yaml").read_bytes()
    refused = client.post("/upload", data={"csrf": token}, files={"file": (XINGTAI, other)})
    assert refused.status_code == 409 and "未替换" in refused.text
    assert 'class="flash' not in refused.text and 'class="refused"' in refused.text, "a refusal is never green"
    assert (folder / XINGTAI).read_bytes() == original
    replaced = client.post(
        "/upload", data={"csrf": token, "replace": "1"}, files={"file": (XINGTAI, other)}, follow_redirects=False
    )
    assert replaced.status_code == 303 and (folder / XINGTAI).read_bytes() == other
    versions = client.get(f"/versions/{XINGTAI}").text
    assert versions.count('class="restore"') == 1


def test_versions_compare_and_restore(served):
    client, folder, _ = served
    name = "qinhuangdao-gxj-2023.yaml"
    original = (folder / name).read_bytes()
    fields = fields_of(client.get(f"/form/{name}").text)
    changed = [(k, "170.00" if v == "166.87" else v) for k, v in fields]
    assert "已保存" in post_form(client, name, changed, "save").text
    listed = client.get(f"/versions/{name}").text
    version = re.search(r'name="v" value="([^"]+)"', listed).group(1)
    compared = client.get(f"/versions/{name}?v={version}").text
    assert "收入总计" in compared and "4212.66" in compared and "4215.79" in compared
    token = TOKEN.search(compared).group(1)
    restored = client.post(f"/restore/{name}", data={"csrf": token, "v": version}, follow_redirects=False)
    assert restored.status_code == 303 and (folder / name).read_bytes() == original
    assert client.get(f"/versions/{name}").text.count('class="restore"') == 2, "the restore kept a version too"


def test_remove_moves_the_department_into_the_backup_folder(served):
    client, folder, _ = served
    token = token_of(client)
    removed = client.post(f"/remove/{XINGTAI}", data={"csrf": token}, follow_redirects=False)
    assert removed.status_code == 303 and not (folder / XINGTAI).exists()
    assert list((folder / ".budgetgen-backup" / "deleted").rglob(XINGTAI))
    assert XINGTAI not in client.get("/").text


def test_all_outputs_download_as_one_zip_named_code_and_name(served):
    import io
    import zipfile

    client, folder, _ = served
    token = token_of(client)
    built = client.post(f"/build/{XINGTAI}", data={"csrf": token, "pdf": "1", "docx": "1"}, follow_redirects=False)
    assert built.status_code == 303
    client.get("/")  # the list records the department's code and name
    archive = client.get(f"/zip/{XINGTAI}")
    assert archive.status_code == 200
    assert "filename*=UTF-8''" in archive.headers["content-disposition"]
    assert "%E9%82%A2%E5%8F%B0" in archive.headers["content-disposition"]  # 邢台…
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert sorted(names) == ["xingtai-gxj-2022.docx", "xingtai-gxj-2022.pdf"]


def test_the_list_says_when_outputs_are_stale(served):
    import os

    client, folder, _ = served
    token = token_of(client)
    assert client.post(f"/build/{XINGTAI}", data={"csrf": token, "pdf": "1"}, follow_redirects=False).status_code == 303
    row = next(r for r in client.get("/").text.split("<tr>") if XINGTAI in r)
    assert "未生成" not in row and "需重新生成" not in row
    later = (folder / XINGTAI).stat().st_mtime + 60
    os.utime(folder / XINGTAI, (later, later))
    row = next(r for r in client.get("/").text.split("<tr>") if XINGTAI in r)
    assert "需重新生成" in row


def test_this_year_is_compared_with_last_years_file(served):
    client, folder, _ = served
    token = token_of(client)
    client.post("/new", data={"csrf": token, "source": "previous", "previous": "qinhuangdao-gxj-2023.yaml"})
    compared = client.get("/versions/qinhuangdao-gxj-2024.yaml?v=qinhuangdao-gxj-2023.yaml").text
    assert "qinhuangdao-gxj-2023.yaml → 现在" in compared
    assert "支出总计" in compared and "4212.66" in compared  # last year's figures against this year's (none yet)
