"""A department's life on the bureau's server (issue 25), in a real browser at 1366×768: the 填报人
submits, the 审核人 returns it with a comment, the 填报人 reads it, fixes the file and submits
again, the 审核人 approves and publishes; the audit trail and the versions are on the pages.
Screenshots are kept in the test's folder."""

from __future__ import annotations

import threading
import time

import pytest
import uvicorn
from conftest import folder_of_examples, free_port
from selenium.webdriver.common.by import By
from test_web_browser import chromium, pytestmark, shot, text_appears  # noqa: F401

from budgetgen.web import create_app
from budgetgen.web.accounts import Accounts

MINE = "qinhuangdao-gxj-2023.yaml"
PASSWORD = "correct horse 1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = folder_of_examples(tmp_path_factory.mktemp("bureau"))
    accounts = Accounts.beside(folder)
    accounts.add_user("审核员", "审核人", PASSWORD)
    accounts.add_user("李会计", "填报人", PASSWORD)
    accounts.assign("李会计", [MINE])
    port = free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(folder), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", folder
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory, "1366,768")


def log_in(browser, base: str, name: str) -> None:
    browser.get(base + "/")
    if browser.find_elements(By.ID, "logout-button"):
        browser.find_element(By.ID, "logout-button").click()
        text_appears(browser, By.TAG_NAME, "h1", "登录")
    browser.find_element(By.ID, "login-name").send_keys(name)
    browser.find_element(By.ID, "login-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-button").click()
    text_appears(browser, By.TAG_NAME, "h1", "部门列表")


def change_state(browser, target: str, expected: str) -> None:
    browser.find_element(By.ID, f"state-{target}").click()
    text_appears(browser, By.ID, "state", expected)


def test_a_department_from_draft_to_published_with_one_return(server, browser):
    base, folder = server
    log_in(browser, base, "李会计")
    rows = browser.find_elements(By.CSS_SELECTOR, "#departments tbody tr")
    assert len(rows) == 1 and MINE in rows[0].text, "a 填报人 sees only their own department"
    browser.find_element(By.LINK_TEXT, MINE).click()
    assert browser.find_element(By.ID, "state").text == "草稿"
    assert not browser.find_elements(By.ID, "state-已审核"), "a 填报人 cannot approve"
    change_state(browser, "已提交", "已提交")
    shot(browser, "w1-submitted")

    log_in(browser, base, "审核员")
    browser.get(f"{base}/d/{MINE}")
    browser.find_element(By.ID, "comment-已退回").send_keys("请补充“三公”经费增减原因")
    change_state(browser, "已退回", "已退回")

    log_in(browser, base, "李会计")
    browser.get(f"{base}/d/{MINE}")
    assert "请补充“三公”经费增减原因" in browser.find_element(By.ID, "comments").text
    shot(browser, "w2-returned")
    browser.get(f"{base}/edit/{MINE}")
    editor = browser.find_element(By.ID, "editor")
    browser.execute_script("arguments[0].value += '\\n# 已按审核意见补充\\n';", editor)
    browser.find_element(By.ID, "save-button").click()
    text_appears(browser, By.ID, "flash", "已保存")
    browser.get(f"{base}/d/{MINE}")
    change_state(browser, "已提交", "已提交")

    log_in(browser, base, "审核员")
    browser.get(f"{base}/d/{MINE}")
    browser.find_element(By.ID, "warnings-read").click()
    change_state(browser, "已审核", "已审核")
    change_state(browser, "已发布", "已发布")
    assert "471-秦皇岛市工业和信息化局.pdf" in browser.find_element(By.ID, "flash").text
    shot(browser, "w3-published")
    assert (folder / "发布" / "471-秦皇岛市工业和信息化局.pdf").is_file()

    browser.find_element(By.ID, "audit-link").click()
    trail = text_appears(browser, By.TAG_NAME, "table", "状态 → 已发布")
    for step in ("状态 → 已提交", "状态 → 已退回", "修改", "状态 → 已审核"):
        assert step in trail, step
    assert "李会计" in trail and "审核员" in trail
    shot(browser, "w4-audit")

    browser.get(f"{base}/d/{MINE}")
    browser.find_element(By.ID, "versions-link").click()
    versions = browser.find_elements(By.CSS_SELECTOR, "#versions tbody tr")
    assert len(versions) >= 2, "the save and the approval each kept a version"
    shot(browser, "w5-versions")
