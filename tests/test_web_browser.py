"""The web page in a real browser (Debian's Chromium driven by Selenium) against a real uvicorn
server: open the list, upload a file, see its located error, fix it in the editor, build, download
the PDF and read its text. Screenshots of each page are kept in the test's folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
import uvicorn
from conftest import EXAMPLES, folder_of_examples, free_port
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from budgetgen.web import create_app

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Skipped only on a developer's machine without them; in CI (set-up by scripts/setup-tests.sh) never.
pytestmark = [
    pytest.mark.slow,  # a real browser against a real server
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER) and not os.environ.get("CI"),
        reason="bash scripts/setup-tests.sh installs chromium and chromium-driver",
    ),
]


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


def chromium(tmp_path_factory, window: str):
    """Debian's Chromium, headless, downloading into a folder of the test's, at `window` (w,h)."""
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={window}",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    driver.shots = tmp_path_factory.mktemp("screenshots")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory, "1280,1600")


def text_appears(driver, by, selector: str, text: str, seconds: float = 120) -> str:
    """Wait until the element holds the text (a form's answer has loaded), then return its text."""

    def found(d):
        try:
            content = d.find_element(by, selector).text
        except Exception:
            return False
        return content if text in content else False

    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(found)


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(driver.shots / f"{name}.png"))


def test_a_finance_officer_uploads_fixes_builds_and_downloads(server, browser, tmp_path):
    base, folder = server
    browser.get(base + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#departments tbody tr")
    assert len(rows) == len(list(EXAMPLES.glob("*.yaml"))) and all("有警告" in r.text for r in rows)
    assert "4212.66" in browser.find_element(By.ID, "departments").text
    shot(browser, "1-list")

    good = (EXAMPLES / "haigang-kgxj-2025.yaml").read_text(encoding="utf-8")
    bad = good.replace(
        "{科目: 30101, 金额: 63.19}", "{科目: 30101, 金额: 64.19}"
    )  # basic spending no longer agrees (X3)
    line = next(i for i, text in enumerate(bad.splitlines(), start=1) if "64.19" in text)
    upload = tmp_path / "海港区科工局.yaml"
    upload.write_text(bad, encoding="utf-8")
    browser.find_element(By.ID, "upload-file").send_keys(str(upload))
    browser.find_element(By.ID, "upload-button").click()
    assert text_appears(browser, By.ID, "status", "有错误") == "有错误"
    problems = browser.find_element(By.ID, "problems").text
    assert "错误" in problems and "X3" in problems and "海港区科工局.yaml:" in problems and "处理办法" in problems
    assert browser.find_element(By.ID, "build-button").get_attribute("disabled")
    marked = browser.find_elements(By.CSS_SELECTOR, "pre.source .mark-错误")
    assert marked, "the offending line is highlighted"
    assert f'id="L{line}"' in browser.page_source
    shot(browser, "2-error")

    browser.find_element(By.ID, "edit-link").click()
    text_appears(browser, By.TAG_NAME, "h1", "编辑")
    editor = browser.find_element(By.ID, "editor")
    browser.execute_script("arguments[0].value = arguments[1];", editor, good)
    browser.find_element(By.ID, "check-button").click()
    assert text_appears(browser, By.ID, "problems", "检查结果（未保存）：有警告")
    assert (folder / "海港区科工局.yaml").read_text(encoding="utf-8") == bad, "检查 does not save"
    shot(browser, "3-checked")
    browser.find_element(By.ID, "save-button").click()
    assert text_appears(browser, By.CLASS_NAME, "flash", "已保存")
    assert browser.find_element(By.ID, "status").text == "有警告"
    assert (folder / "海港区科工局.yaml").read_text(encoding="utf-8") == good

    browser.find_element(By.ID, "build-button").click()
    assert text_appears(browser, By.CLASS_NAME, "flash", "已生成 海港区科工局.pdf、海港区科工局.docx")
    assert browser.find_element(By.ID, "pdf-preview").get_attribute("src").endswith("?inline=1")
    shot(browser, "4-built")
    browser.find_element(By.ID, "download-pdf").click()
    pdf = browser.downloads / "海港区科工局.pdf"
    for _ in range(100):
        if pdf.is_file() and not list(browser.downloads.glob("*.crdownload")):
            break
        time.sleep(0.1)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "部门预算收支总表" in text and "724.00" in text
    errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors  # no script error, nothing the page's security policy had to block


def test_the_batch_page_shows_progress_and_the_summary(server, browser):
    base, _ = server
    browser.get(base + "/batch")
    browser.find_element(By.CSS_SELECTOR, "input[name=docx]").click()  # PDF only
    browser.find_element(By.ID, "batch-button").click()
    assert text_appears(browser, By.ID, "batch-text", "已完成")
    link = browser.find_element(By.ID, "summary-link")
    assert link.is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#batch-rows li")) == len(list(EXAMPLES.glob("*.yaml"))) + 1
    shot(browser, "5-batch")
    link.find_element(By.TAG_NAME, "a").click()
    assert text_appears(browser, By.TAG_NAME, "body", "全市合计")


def test_the_real_server_refuses_a_200_mb_upload_before_it_arrives(server):
    base, folder = server
    port = int(base.rsplit(":", 1)[1])
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data;"
            f" boundary=x\r\nContent-Length: {200 * 1024 * 1024}\r\n\r\n".encode()
        )
        connection.settimeout(0.05)
        answer = b""
        chunk = b"x" * (256 * 1024)
        while sent < 200 * 1024 * 1024 and b"\r\n\r\n" not in answer:
            try:
                answer += connection.recv(65536)
                continue
            except TimeoutError:
                pass
            try:
                connection.sendall(chunk)
            except OSError:
                break
            sent += len(chunk)
        connection.settimeout(10)
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 20 * 1024 * 1024, f"answered after {sent} bytes"
    assert not any(p.stat().st_size > 10 * 1024 * 1024 for p in folder.rglob("*") if p.is_file())
