#!/usr/bin/env bash
# budgetgen 一键安装：系统软件包（中文字体、PDF 排版库、PDF 文本工具）+ Python 依赖。
# 在全新的 Debian/Ubuntu 机器上以 root（或可 sudo 的用户）运行：bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  fonts-noto-cjk          # 中文字体（宋体/黑体风格，含粗体），PDF 内嵌
  libpango-1.0-0          # WeasyPrint 排版
  libpangoft2-1.0-0
  libharfbuzz-subset0     # 字体子集化（无此库时生成 PDF 慢约 10 倍）
  poppler-utils           # pdftotext / pdffonts / pdftoppm：测试与检查 PDF
  libreoffice-writer-nogui  # 测试 DOCX 能被 LibreOffice 正常打开；性能对比基准
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
command -v budgetgen >/dev/null 2>&1 || { command -v pyenv >/dev/null 2>&1 && pyenv rehash; } || true
echo "budgetgen 安装完成。"
