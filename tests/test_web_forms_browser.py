"""The whole job on the web page without YAML (issue 24), in a real browser at 1366×768: a
department made from the complete workbook, one indicator row added in the form, a located error
fixed by clicking it, saved (the YAML's comments kept), built and downloaded; next year started
from it; two versions compared and one restored. Screenshots are kept in the test's folder."""

from __future__ import annotations

import threading
import time

import pytest
import uvicorn
from conftest import EXAMPLES, folder_of_examples, free_port, invoke
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from test_web_browser import chromium, pytestmark, shot, text_appears  # noqa: F401

from budgetgen.analysis import analyse
from budgetgen.web import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = folder_of_examples(tmp_path_factory.mktemp("served"))
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
    yield from chromium(tmp_path_factory, "1366,768")  # a finance officer's laptop


def field(driver, name: str):
    return driver.find_element(By.ID, name)


def test_a_department_from_the_workbook_completed_and_built_in_forms(server, browser, tmp_path):
    base, folder = server
    workbook = tmp_path / "普陀区司法局.xlsx"
    assert invoke("workbook", EXAMPLES / "putuo-sfj-2026.yaml", "-o", workbook).exit_code == 0

    browser.get(base + "/")
    browser.find_element(By.CSS_SELECTOR, "input[name=source][value=workbook]").click()
    browser.find_element(By.ID, "new-file").send_keys(str(workbook))
    browser.find_element(By.ID, "new-button").click()
    text_appears(browser, By.ID, "flash", "已由填写用工作簿新建")
    name = browser.current_url.rsplit("/d/", 1)[1]
    source = next(folder.glob("*司法局*.yaml"))
    shot(browser, "f1-created")

    browser.find_element(By.ID, "form-link").click()
    text_appears(browser, By.TAG_NAME, "h1", "填写")
    header = browser.find_element(By.CSS_SELECTOR, "#part-项目·绩效指标 summary")
    if not browser.find_element(By.ID, "part-项目·绩效指标").get_attribute("open"):
        header.click()
    browser.find_element(By.CSS_SELECTOR, "button.row-add[data-grid='项目·绩效指标']").click()
    row = browser.find_elements(By.CSS_SELECTOR, "table[data-grid='项目·绩效指标'] tbody tr:not(.row-template)")[-1]
    cells = row.find_elements(By.CSS_SELECTOR, "input, select, textarea")
    cells[0].send_keys("人民调解")
    Select(cells[1]).select_by_visible_text("满意度指标")
    assert cells[2].get_attribute("list") == "indicator-level2"
    cells[2].send_keys("服务对象满意度指标")
    cells[3].send_keys("群众满意度")
    cells[4].send_keys("调解当事人满意度")
    cells[5].send_keys("≥90%")
    level = field(browser, "F\t部门\t级次")
    Select(level).select_by_value("")  # a slip: the level emptied
    browser.find_element(By.ID, "form-check").click()
    text_appears(browser, By.ID, "form-problems", "级次")
    shot(browser, "f2-located")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.jump") if "部门!" in a.text)
    link.click()
    assert browser.switch_to.active_element.get_attribute("id") == "F\t部门\t级次", "the click lands on the field"
    Select(browser.switch_to.active_element).select_by_visible_text("区")
    assert (folder / source.name).read_text(encoding="utf-8").count("群众满意度") == 0, "检查 saves nothing"
    browser.find_elements(By.CSS_SELECTOR, "button[value=save]")[0].click()
    text_appears(browser, By.ID, "flash", "已保存")
    shot(browser, "f3-saved")
    saved = source.read_text(encoding="utf-8")
    assert saved.startswith("# 由工作簿"), "the file's own comments stay"
    project = next(p for p in analyse(source).budget.projects if p.name == "人民调解")
    assert project.indicators[-1].value == "≥90%"

    browser.get(f"{base}/d/{name}")
    button = browser.find_element(By.ID, "build-button")
    state = browser.execute_script(
        "arguments[0].click(); return [arguments[0].disabled, document.getElementById('build-progress').textContent];",
        button,
    )
    assert state[0] is True and "正在生成" in state[1], "a sign of life, and one click only"
    text_appears(browser, By.ID, "flash", "已生成")
    browser.find_element(By.ID, "download-pdf").click()
    for _ in range(100):
        if list(browser.downloads.glob("*.pdf")) and not list(browser.downloads.glob("*.crdownload")):
            break
        time.sleep(0.1)
    assert list(browser.downloads.glob("*.pdf"))
    shot(browser, "f4-built")

    browser.get(base + "/")
    browser.find_element(By.CSS_SELECTOR, "input[name=source][value=previous]").click()
    Select(browser.find_element(By.ID, "new-previous")).select_by_visible_text(source.name)
    browser.find_element(By.ID, "new-button").click()
    text_appears(browser, By.ID, "flash", "开始 2027 年度")
    following = analyse(next(folder.glob("*司法局*2027*.yaml")))
    this = analyse(source)
    assert following.budget.prior_year.basic == this.statement["expense.basic"]
    browser.find_element(By.ID, "form-link").click()
    text_appears(browser, By.TAG_NAME, "h1", "填写")
    assert field(browser, "F\t上年\t基本支出").get_attribute("value") == str(this.statement["expense.basic"])
    shot(browser, "f5-next-year")

    browser.get(f"{base}/versions/{name}")
    browser.find_element(By.CSS_SELECTOR, "a.compare").click()
    text_appears(browser, By.ID, "difference", "群众满意度")
    shot(browser, "f6-versions")
    browser.find_element(By.CSS_SELECTOR, "tr.chosen button.restore").click()
    text_appears(browser, By.ID, "flash", "已恢复")
    assert "群众满意度" not in source.read_text(encoding="utf-8")
    errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
