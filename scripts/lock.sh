#!/usr/bin/env bash
# 重新生成依赖锁文件 requirements.lock（开发者用；使用者只按锁文件安装，见 scripts/setup.sh）。
# 锁定 pyproject.toml 的全部依赖（运行、测试、构建后端 hatchling）及其传递依赖，每个文件带 sha256，
# 适用于 Python 3.11 及以上（Debian 12、Ubuntu 24.04）。修改 pyproject.toml 的依赖后运行：
#   bash scripts/lock.sh            # 已锁定的版本不变，只为新增的依赖选版本
#   bash scripts/lock.sh --upgrade  # 全部在现有上限内取最新版本
#   bash scripts/lock.sh --upgrade-package weasyprint   # 只升级某个包
set -euo pipefail
cd "$(dirname "$0")/.."

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==0.13.8"

"$tools/venv/bin/python" scripts/lock_inputs.py requirements > "$tools/build-requirements.in"
# uv keeps the versions already pinned in its output file: start from the current lock.
grep -v "^#" requirements.lock > "$tools/requirements.lock" || true
"$tools/venv/bin/uv" pip compile pyproject.toml "$tools/build-requirements.in" \
  --all-extras --universal --python-version 3.11 --generate-hashes \
  --no-header --quiet "$@" -o "$tools/requirements.lock"
{
  echo "# budgetgen 依赖锁文件：由 scripts/lock.sh 生成，请勿手工修改。"
  echo "# 安装：bash scripts/setup.sh（按本文件逐个校验 sha256 安装到 .venv）。"
  echo "# pyproject-requirements-sha256: $("$tools/venv/bin/python" scripts/lock_inputs.py digest)"
  grep -v "$tools" "$tools/requirements.lock"
} > requirements.lock
echo "已写入 requirements.lock"
