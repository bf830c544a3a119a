#!/usr/bin/env bash
# 代码检查（CI 在测试之前运行；开发者提交前运行）：格式、lint、类型。任何一项不通过即失败。
#   bash scripts/lint.sh          # 只检查
#   bash scripts/lint.sh --fix    # 先自动修正格式和可安全修正的问题，再检查
set -euo pipefail
cd "$(dirname "$0")/.."
PATHS=(src tests scripts)
if [ "${1:-}" = "--fix" ]; then
  .venv/bin/ruff format "${PATHS[@]}"
  .venv/bin/ruff check --fix "${PATHS[@]}"
fi
.venv/bin/ruff format --check "${PATHS[@]}"
.venv/bin/ruff check "${PATHS[@]}"
.venv/bin/mypy  # strict on the modules listed in pyproject.toml [tool.mypy]
echo "代码检查通过"
