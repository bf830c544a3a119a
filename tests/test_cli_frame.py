"""The command line's frame speaks Chinese: help of every command, usage errors, --version."""

import re
import subprocess
import sys

import pytest
from conftest import REFERENCE_EXAMPLES, ROOT, invoke
from typer.main import get_command

from budgetgen import __version__
from budgetgen.cli import app

# Words of click/typer's English frame; help texts may still name formats such as PDF or YAML.
ENGLISH_FRAME = re.compile(
    r"\b(Usage|Options?|Arguments?|Commands?|Error|Try|Show this message|required|default|"
    r"TEXT|PATH|FILE|INTEGER|BOOLEAN|"
    r"No such|Missing|Got unexpected|extra argument|requires an|does not take|Aborted|Did you mean|"
    r"OPTIONS|ARGS|COMMAND)\b"
)


def all_command_paths() -> list[list[str]]:
    paths = [[]]
    group = get_command(app)
    for name, command in group.commands.items():
        paths.append([name])
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    return paths


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "budgetgen")
def test_every_help_page_is_chinese(path):
    result = invoke(*path, "--help", terminal_width=40, prog_name="budgetgen")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：budgetgen")
    assert not ENGLISH_FRAME.search(result.output), ENGLISH_FRAME.search(result.output).group(0)
    assert "示例：" in result.output, "every help page shows an example command"
    command = get_command(app)
    for part in path:
        command = command.commands[part]
    first_line = (command.help or "").strip().splitlines()[0]
    assert first_line in result.output, "help is never cut, whatever the terminal width"


@pytest.mark.parametrize(
    "args, message",
    [
        (["不存在的命令"], "没有命令「不存在的命令」"),
        (["chek", "a.yaml"], "是否想写「check」"),
        (["build"], "缺少必填的参数「部门文件」"),
        (["build", "a.yaml", "b.yaml"], "多余的参数：b.yaml"),
        (["build", "a.yaml", "--formt", "pdf"], "没有选项「--formt」，是否想写「--format」"),
        (["build", "-x.yaml"], "如果这是文件名，请写成 ./-x.yaml"),
        (["build", "a.yaml", "-o"], "选项「-o」后面需要写 1 个值"),
        (["check", "a.yaml", "--pdfa"], "没有选项「--pdfa」"),
        (["templates", "show"], "缺少必填的参数「模板集」"),
    ],
)
def test_usage_errors_are_chinese(args, message):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not ENGLISH_FRAME.search(result.output), result.output


def test_no_arguments_shows_the_help():
    result = invoke(prog_name="budgetgen")
    assert result.exit_code == 0 and result.output.startswith("用法：budgetgen")


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"budgetgen {__version__}"


def test_the_installed_command_speaks_chinese():
    """The console script itself (not only typer's test runner)."""
    script = ROOT / ".venv" / "bin" / "budgetgen"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from budgetgen.cli import main; main()"]
    result = subprocess.run(command + ["build"], capture_output=True, text=True)
    assert result.returncode == 2 and "缺少必填的参数「部门文件」" in result.stderr
    result = subprocess.run(command + ["check", str(REFERENCE_EXAMPLES["000"])], capture_output=True, text=True)
    assert result.returncode == 0 and "0 个错误" in result.stdout
