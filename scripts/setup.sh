#!/usr/bin/env bash
# budgetgen 一键安装（全新 Debian 12 / Ubuntu 24.04）：bash scripts/setup.sh
# 1. 运行所需的系统软件包（中文字体、PDF 排版库）：apt，需要 root 或 sudo；已安装则跳过。
# 2. 项目自己的 Python 虚拟环境 .venv：按 requirements.lock 逐个校验 sha256 安装，版本与测试时完全一致；
#    不改动系统 Python（Debian 的 Python 禁止 pip 直接安装，见 PEP 668），这一步不需要 root。
# 之后用 .venv/bin/budgetgen 运行，无需“激活”虚拟环境。测试另需 scripts/setup-tests.sh。
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh

RUNTIME_PACKAGES=(
  fonts-noto-cjk          # 中文字体（宋体/黑体风格，含粗体），PDF 内嵌
  libpango-1.0-0          # WeasyPrint 排版
  libpangoft2-1.0-0
  libharfbuzz-subset0     # 字体子集化（无此库时生成 PDF 慢约 10 倍）
  python3-venv            # 创建虚拟环境（Debian 的 python3 默认不带 venv）
)
install_debian_packages "${RUNTIME_PACKAGES[@]}"

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "需要 Python 3.11 或更新版本（当前：$("$PYTHON" --version 2>&1)）" >&2; exit 1; }

LOCK=requirements.lock
STAMP=.venv/.budgetgen-lock
wanted="$(sha256sum "$LOCK" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version.split()[0], sys.prefix)')"
if [ ! -x .venv/bin/python ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  # A new or changed lock, or another Python: start afresh so the venv holds exactly the lock.
  rm -rf .venv
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r "$LOCK"
  echo "$wanted" > "$STAMP"
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check --disable-pip-version-check >/dev/null \
  || { .venv/bin/python -m pip check; echo "requirements.lock 不完整：请运行 bash scripts/lock.sh" >&2; exit 1; }
echo "budgetgen 安装完成：.venv/bin/budgetgen"
