#!/usr/bin/env bash
# 测试和性能基准另需的系统软件包（运行 budgetgen 本身不需要）：bash scripts/setup-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh

TEST_PACKAGES=(
  poppler-utils             # pdftotext / pdffonts / pdftoppm：读取生成的 PDF
  libreoffice-writer-nogui  # DOCX 能被 LibreOffice 打开；性能对比基准
  libreoffice-calc-nogui    # XLSX 能被 LibreOffice Calc 打开；生成 .xls 测试文件
  chromium                  # 网页（budgetgen serve）的浏览器测试
  chromium-driver           # 由 Selenium 驱动 Chromium
)
install_debian_packages "${TEST_PACKAGES[@]}"
[ -x .venv/bin/python ] || { echo "请先运行 bash scripts/setup.sh" >&2; exit 1; }
