"""The command line's frame in Chinese: help pages, usage lines, usage errors and --version.

typer words help and usage errors in English (its vendored click has no translation hook), which a
finance officer reads as a failure. So budgetgen lays out help itself from each command's parameters
and words each kind of usage error itself; the commands only declare Chinese help and metavars.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from typing import Any

import typer
from typer import _click as click  # the click typer vendors: its exception classes and Context
from typer.core import TyperArgument, TyperCommand, TyperGroup

from .. import __version__
from ..problems import Terminated

EXIT_USAGE = 2
HELP_TEXT = "显示本帮助并退出"
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _table(rows: list[tuple[str, str]]) -> list[str]:
    """Two columns, the second aligned by display width (CJK counts double); never cut or wrapped."""
    if not rows:
        return []
    width = min(max(display_width(left) for left, _ in rows), 30)
    lines = []
    for left, right in rows:
        if display_width(left) > width:
            lines += [f"  {left}", f"  {' ' * width}  {right}"]
        else:
            lines.append(f"  {_pad(left, width)}  {right}")
    return lines


def _metavar(param: Any) -> str:
    return param.metavar or param.name


def _default_text(param: Any) -> str:
    if param.is_flag or param.default in (None, False, (), []) or param.name == "help":
        return ""
    default = param.default
    if isinstance(default, (list, tuple)):
        default = "、".join(map(str, default))
    return f"（默认：{default}）"


def _option_row(param: Any) -> tuple[str, str]:
    names = ", ".join(sorted(param.opts, key=len) + list(param.secondary_opts))
    if not param.is_flag:
        names += f" {_metavar(param)}"
    help_text = HELP_TEXT if param.name == "help" else (param.help or "")
    if param.multiple:
        help_text += "（可写多次）"
    if param.required:
        help_text += "（必填）"
    return names, help_text + _default_text(param)


def _argument_row(param: Any) -> tuple[str, str]:
    text = getattr(param, "help", None) or ""
    text += "（必填）" if param.required else "（可选）"
    if param.nargs == -1:
        text += "，可写多个"
    return _metavar(param), text


def _split_help(help_text: str) -> tuple[str, str]:
    """A command's docstring: its description, and what follows 示例：."""
    text = (help_text or "").strip()
    if "示例：" in text:
        description, examples = text.split("示例：", 1)
        return description.strip(), examples.strip()
    return text, ""


class ChineseFrame:
    """Help and usage in Chinese; mixed into typer's command and group classes."""

    def get_usage(self, ctx: click.Context) -> str:
        pieces = ["[选项]"]
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument) or param.param_type_name == "argument":
                name = _metavar(param) + ("…" if param.nargs == -1 else "")
                pieces.append(name if param.required else f"[{name}]")
        if isinstance(self, TyperGroup):
            pieces.append("命令 [参数]…")
        return f"用法：{ctx.command_path} {' '.join(pieces)}"

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write(self.get_usage(ctx) + "\n")

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        description, examples = _split_help(self.help or "")
        lines = [self.get_usage(ctx), ""]
        if description:
            lines += ["  " + line if line else "" for line in description.splitlines()] + [""]
        params = self.get_params(ctx)
        arguments = [_argument_row(p) for p in params if p.param_type_name == "argument"]
        options = [_option_row(p) for p in params if p.param_type_name == "option" and not p.hidden]
        if arguments:
            lines += ["参数："] + _table(arguments) + [""]
        if options:
            lines += ["选项："] + _table(options) + [""]
        if isinstance(self, TyperGroup):
            commands = [
                (name, _split_help(cmd.help or "")[0].splitlines()[0] if cmd.help else "")
                for name, cmd in self._visible_commands(ctx)
            ]
            lines += ["命令："] + _table(commands) + [""]
            lines.append(f"每个命令的说明：{ctx.command_path} 命令 --help")
        if examples:
            lines += ["示例："] + ["  " + line.strip() for line in examples.splitlines() if line.strip()]
        formatter.write("\n".join(lines).rstrip() + "\n")

    def _visible_commands(self, ctx: click.Context) -> list[tuple[str, Any]]:
        found = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                found.append((name, command))
        return found


class ChineseCommand(ChineseFrame, TyperCommand):
    pass


class ChineseGroup(ChineseFrame, TyperGroup):
    """The top-level group also turns every usage error into a Chinese message."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            code = result if isinstance(result, int) else 0
        except click.exceptions.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help())
            code = 0
        except click.exceptions.UsageError as exc:
            report_usage_error(exc, list(sys.argv[1:] if args is None else args))
            code = EXIT_USAGE
        except click.exceptions.ClickException as exc:
            typer.echo(f"错误：{exc.format_message()}", err=True)
            code = 1
        except typer.Abort:
            typer.echo("已中止。", err=True)
            code = 1
        except Terminated:
            typer.echo("已中止（收到终止信号）：未生成文件，原有的输出文件未改动。", err=True)
            code = 143
        if code == 130 and not STOP.reported:  # typer turns Ctrl-C into exit code 130 without a word
            typer.echo("已中止（Ctrl-C）：未生成文件，原有的输出文件未改动。", err=True)
        if standalone_mode:
            sys.exit(code)
        return code


class _Stop:
    reported = False  # a command that stopped on Ctrl-C has said what it wrote


STOP = _Stop()


def report_stop(message: str) -> None:
    """A command's own account of a stop (what was written): the generic Ctrl-C line is then not printed."""
    typer.echo(message, err=True)
    STOP.reported = True


# ---------------------------------------------------------------- usage errors

_NO_SUCH_COMMAND = re.compile(r"No such command '(.+?)'\..*", re.S)
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(?s?\)? \((.*)\)")
_REQUIRES_VALUE = re.compile(r"Option '(.+)' requires (?:an argument|(\d+) arguments)\.")
_TAKES_NO_VALUE = re.compile(r"Option '(.+)' does not take a value\.")
_NOT_INTEGER = re.compile(r"'(.*)' is not a valid integer")
_NOT_FLOAT = re.compile(r"'(.*)' is not a valid float")
_NOT_CHOICE = re.compile(r"'(.*)' is not one of (.+)\.")


def usage_message(exc: click.exceptions.UsageError, args: list[str] = ()) -> str:
    """One Chinese sentence for a usage error, by its kind (and, for plain ones, its wording).
    `args` are the words typed, to recognise a file name taken for an option (`-x.yaml`)."""
    ctx = exc.ctx
    if isinstance(exc, click.exceptions.NoSuchOption):
        typed = next((a for a in args if a.startswith(exc.option_name)), exc.option_name)
        text = f"没有选项「{typed}」"
        if exc.possibilities:
            text += f"，是否想写「{sorted(exc.possibilities)[0]}」？"
        if re.search(r"[./\\]", typed):
            text += f"。如果这是文件名，请写成 ./{typed}（以“-”开头的名字会被当作选项）"
        return text
    if isinstance(exc, click.exceptions.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return f"缺少必填的参数「{_metavar(param)}」"
        return f"缺少必填的选项「{param.opts[-1] if param is not None else exc.param_hint}」"
    if isinstance(exc, click.exceptions.BadParameter):
        return _bad_parameter(exc)
    message = exc.message
    if match := _NO_SUCH_COMMAND.fullmatch(message):
        name = match.group(1)
        text = f"没有命令「{name}」"
        if ctx is not None and isinstance(ctx.command, TyperGroup):
            close = difflib.get_close_matches(name, ctx.command.list_commands(ctx), n=1, cutoff=0.5)
            if close:
                text += f"，是否想写「{close[0]}」？"
        return text
    if match := _EXTRA_ARGUMENTS.fullmatch(message):
        return f"多余的参数：{match.group(1)}（路径中有空格时请加引号）"
    if match := _REQUIRES_VALUE.fullmatch(message):
        count = match.group(2) or "1"
        return f"选项「{match.group(1)}」后面需要写 {count} 个值"
    if match := _TAKES_NO_VALUE.fullmatch(message):
        return f"选项「{match.group(1)}」不带值，只写选项本身"
    if message == "Missing command.":
        return "缺少命令"
    return "命令行参数有误"


def _bad_parameter(exc: click.exceptions.BadParameter) -> str:
    param = exc.param
    name = (
        (param.opts[-1] if param is not None and param.param_type_name == "option" else _metavar(param))
        if param is not None
        else "参数"
    )
    message = exc.message
    if match := _NOT_INTEGER.search(message):
        return f"「{name}」应为整数，这里写的是「{match.group(1)}」"
    if match := _NOT_FLOAT.search(message):
        return f"「{name}」应为数字，这里写的是「{match.group(1)}」"
    if match := _NOT_CHOICE.search(message):
        options = "、".join(re.findall(r"'([^']*)'", match.group(2)))
        return f"「{name}」的值「{match.group(1)}」不是可选值（可选：{options}）"
    if re.search(r"[\u4e00-\u9fff]", message):
        return f"「{name}」：{message}"  # our own callbacks word their messages in Chinese
    return f"「{name}」的值无法识别"


def report_usage_error(exc: click.exceptions.UsageError, args: list[str] = ()) -> None:
    ctx = exc.ctx
    if ctx is not None:
        typer.echo(ctx.command.get_usage(ctx), err=True)
    message = usage_message(exc, args)
    typer.echo(f"错误：{message}{'' if message.endswith(('？', '。')) else '。'}", err=True)
    if ctx is not None:
        typer.echo(f"运行「{ctx.command_path} --help」查看说明。", err=True)


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"budgetgen {__version__}")
        raise typer.Exit()
