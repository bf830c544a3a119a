"""The commands: check, build, tables, schema, templates. The frame around them (help, usage
errors, --version) is Chinese too: see frame.py."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import typer

from ..analysis import Analysis, analyse
from ..builders import DEFAULT_FORMATS, ENGINE_NAMES, FORMATS, formats_help
from ..model import json_schema
from ..oserrors import os_reason
from ..problems import InputRejected, Problem, Severity, has_errors
from .frame import CONTEXT_SETTINGS, EXIT_USAGE, ChineseCommand, ChineseGroup, display_width, report_stop, show_version

app = typer.Typer(
    cls=ChineseGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", help="显示版本号并退出", is_eager=True, callback=show_version),
) -> None:
    """budgetgen：从部门预算 YAML 计算九张标准表，核对勾稽关系，生成部门预算信息公开文件（PDF、DOCX）。

    示例：
    budgetgen check examples/qinhuangdao-gxj-2023.yaml
    budgetgen build examples/qinhuangdao-gxj-2023.yaml -o output
    """


def command(name: str | None = None):
    return app.command(name, cls=ChineseCommand)


EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3

TemplatesOption = typer.Option(None, "--templates", metavar="文件夹", help="额外的模板集目录（城市自定义模板）")
StrictOption = typer.Option(
    False, "--strict", help="发布前的检查（职责、机构、绩效、项目为空，元填入万元文件等）按错误处理"
)
EngineOption = typer.Option(
    None,
    "--engine",
    metavar="引擎",
    help=f"PDF 排版引擎：{'、'.join(ENGINE_NAMES)}（默认按模板集的 engine 设置）",
)


def chosen_formats(formats: str) -> tuple[str, ...]:
    """The formats of --format, or a refusal naming those that exist."""
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        typer.echo(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可选：{formats_help()}。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    return chosen


def checked_engine(engine: str | None) -> str | None:
    if engine is not None and engine.strip().lower() not in ENGINE_NAMES:
        typer.echo(f"不支持的 PDF 引擎：{engine}。可选：{'、'.join(ENGINE_NAMES)}。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    return engine.strip().lower() if engine else None


DepartmentFile = typer.Argument(
    ..., metavar="部门文件", help="部门预算 YAML 文件，或 budgetgen new --xlsx 的填写用工作簿"
)


@command()
def check(
    files: list[Path] | None = typer.Argument(
        None, metavar="部门文件…", help="部门预算 YAML 文件（或填写用工作簿），可写多个文件或文件夹"
    ),
    templates: Path | None = TemplatesOption,
    list_checks: bool = typer.Option(
        False, "--list", help="列出全部检查项（编号、说明、级别、读取的输入），不检查文件"
    ),
    strict: bool = StrictOption,
) -> None:
    """检查输入：列出所有错误、警告和提示（文件:行:列、原因、处理办法）。

    无错误时退出码 0，有错误 1，文件无法读取 2。

    示例：
    budgetgen check examples/qinhuangdao-gxj-2023.yaml
    budgetgen check 各部门/
    budgetgen check 某局.yaml --strict
    budgetgen check --list
    """
    if list_checks:
        from ..checks import REGISTRY

        for spec in REGISTRY.values():
            typer.echo(
                f"{spec.id}\t{'/'.join(s.value for s in spec.severities)}\t{spec.description}\t读取："
                f"{'、'.join(spec.reads)}"
            )
        return
    if not files:
        typer.echo(
            "用法：budgetgen check [选项] 部门文件…\n错误：缺少必填的参数「部门文件」。\n运行「budgetgen check"
            " --help」查看说明。",
            err=True,
        )
        raise typer.Exit(2)
    if len(files) > 1 or files[0].is_dir():
        _check_many(files, templates, strict)
    file = files[0]
    analysis = _analyse_or_exit(file, templates, strict)
    problems = _check_problems(analysis)
    _print_problems(problems, file)
    _print_summary(problems, analysis)
    raise typer.Exit(EXIT_ERRORS if has_errors(problems) else EXIT_OK)


def _check_many(inputs: list[Path], templates: Path | None, strict: bool) -> None:
    """Each file's problems under its name, then overall counts; exit 1 if any file has errors."""
    from ..batch import discover

    files, _ = discover(inputs, Path("/nonexistent-output"))
    dirs = (templates,) if templates else ()
    totals = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.NOTE: 0}
    unreadable = 0
    for file in files:
        typer.echo(f"== {file} ==")
        try:
            analysis = _guarded(partial(analyse, file, dirs, strict))
            problems = _check_problems(analysis)
        except InputRejected as exc:
            problems = exc.problems
            unreadable += exc.unreadable
        except typer.Exit:
            problems = [Problem(Severity.ERROR, "内部", "budgetgen 内部错误")]
        _print_problems(problems, file)
        for problem in problems:
            totals[problem.severity] += 1
        typer.echo(
            f"   {sum(1 for p in problems if p.severity is Severity.ERROR)} 个错误，"
            f"{sum(1 for p in problems if p.severity is Severity.WARNING)} 个警告"
        )
    typer.echo(
        f"共检查 {len(files)} 个文件：{totals[Severity.ERROR]} 个错误，{totals[Severity.WARNING]} 个警告，"
        f"{totals[Severity.NOTE]} 个提示。"
    )
    raise typer.Exit(EXIT_ERRORS if totals[Severity.ERROR] else EXIT_OK)


def _check_problems(analysis: Analysis) -> list[Problem]:
    from ..build import check_problems

    return _guarded(lambda: check_problems(analysis))


@command()
def build(
    file: Path = DepartmentFile,
    output: Path = typer.Option(Path("output"), "-o", "--output", metavar="文件夹", help="输出文件夹"),
    formats: str = typer.Option(
        ",".join(DEFAULT_FORMATS), "--format", metavar="格式", help=f"输出格式，逗号分隔：{formats_help()}"
    ),
    pdfa: bool = typer.Option(False, "--pdfa", help="PDF 按 PDF/A-2b 归档格式输出"),
    engine: str | None = EngineOption,
    templates: Path | None = TemplatesOption,
    strict: bool = StrictOption,
) -> None:
    """生成部门预算信息公开文件（PDF、DOCX）。先检查输入，有错误时不生成，原有文件不变。

    示例：
    budgetgen build examples/qinhuangdao-gxj-2023.yaml -o output --format pdf,docx
    """
    from ..build import build as run_build

    chosen = chosen_formats(formats)
    dirs = (templates,) if templates else ()
    try:
        result = _guarded(lambda: run_build(file, output, chosen, dirs, pdfa, strict, checked_engine(engine)))
    except InputRejected as exc:
        _refuse(exc, file, "，未生成文件（原有输出文件未改动）")
    _print_problems(result.analysis.problems, file)
    for path in result.written:
        typer.echo(f"已生成 {path}")
    timings = "，".join(f"{k} {v:.2f} 秒" for k, v in result.seconds.items())
    engine = f"（PDF 排版：{result.engine}）" if result.engine else ""
    typer.echo(f"用时：{timings}{engine}")


@command()
def tables(
    file: Path = DepartmentFile,
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（否则为制表符分隔的文本，可粘贴到电子表格）"),
    neutral: bool = typer.Option(
        False, "--neutral", help="不依模板集：收支总表收入按资金来源各列一行，“三公”表九行，行名用全国通用的写法"
    ),
    xlsx: Path | None = typer.Option(
        None, "--xlsx", metavar="文件", help="另写一个 Excel 工作簿：九张表各一页，按印出的样子"
    ),
    templates: Path | None = TemplatesOption,
) -> None:
    """输出计算得到的九张标准表。输入有错误时不输出。

    文本和 --json 都按本部门的模板集印出（行名、行的取舍与缩进与 PDF 相同）；
    加 --neutral 则不依模板集：收支总表的收入按每个资金来源各列一行，“三公”表九行，
    数字对任何模板集都相同，供其他程序读取。

    示例：
    budgetgen tables examples/haigang-kgxj-2025.yaml --json
    budgetgen tables examples/haigang-kgxj-2025.yaml --json --neutral
    budgetgen tables examples/haigang-kgxj-2025.yaml --xlsx 九张表.xlsx
    """
    analysis = _analyse_or_exit(file, templates)
    if not analysis.tables_ok:
        _print_problems(analysis.table_problems, file, only=Severity.ERROR, err=True)
        typer.echo("输入有错误，未输出表格。请先运行 budgetgen check 并改正。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    if xlsx is not None:
        _write_tables_workbook(analysis, xlsx)
        return
    printed = analysis.tables
    if neutral:
        from ..tables import build_tables
        from ..wording import neutral_specs

        printed = build_tables(analysis.statement, neutral_specs())
    if as_json:
        typer.echo(json.dumps(printed.to_json(), ensure_ascii=False, indent=1))
        return
    for table in printed:
        typer.echo(table.title)
        typer.echo("\t".join(c.label for c in table.columns))
        for row in table.as_printed():
            typer.echo("\t".join(row))
        if table.note:
            typer.echo(table.note)
        typer.echo("")


def _write_tables_workbook(analysis: Analysis, target: Path) -> None:
    from ..build import document_for, write_file
    from ..builders import BuildOptions, builder_for

    try:
        data = _guarded(
            lambda: builder_for("xlsx")(document_for(analysis, narrative=False), analysis.theme, BuildOptions())
        )
        _guarded(lambda: write_file(target, data))
    except InputRejected as exc:
        _refuse(exc, analysis.path, "，未写入工作簿")
    typer.echo(f"已写入 {target}")


@command("import")
def import_(
    workbook: Path = typer.Argument(
        ..., metavar="工作簿", help="预算管理一体化系统导出的部门预算公开表（.xlsx 或 .xls）"
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="文件", help="写入的部门 YAML（默认：与工作簿同名的 .yaml）"
    ),
    template: str | None = typer.Option(
        None, "--set", metavar="模板集", help="写入 YAML 的模板集名称（默认按工作簿的表名推断，推断不出时为 base）"
    ),
    into: Path | None = typer.Option(
        None, "--into", metavar="部门文件", help="更新已有的部门 YAML：只替换数字部分，保留情况说明的文字和注释"
    ),
    city_catalog: Path | None = typer.Option(
        None,
        "--catalog",
        metavar="文件夹",
        help="把内置目录中没有的科目名称存入该文件夹的“科目目录.csv”（部门文件所在文件夹或城市模板集），供全市各部门使用",
    ),
) -> None:
    """把预算系统导出的部门预算公开表（Excel）变成部门 YAML：每个数只写一次，表中的合计记为申报数。

    表按表名查找（每表一页或多表同页均可），列按表头文字识别；科目编码可为一列或类/款/项分列；
    金额单位按工作簿（元仍为元，不做舍入）。表中看不出的拆分会在该行注明“请确认”。
    工作簿中没有的部分（职责、绩效、政府采购等）以注释列出，待填写。

    示例：
    budgetgen import 部门预算公开表.xlsx -o 某某局.yaml --set hebei-city-2023
    budgetgen import 新导出的公开表.xlsx --into 某某局.yaml
    """
    from ..build import write_file
    from ..excel.importer import import_workbook
    from ..excel.writer import department_yaml

    target = into or output or workbook.with_suffix(".yaml")
    if _is_fillin_workbook(workbook):
        _import_fillin(workbook, target, into)
        return
    if into is None and _exists(target):
        typer.echo(f"{target} 已存在，未改动。用 --into {target} 只更新其中的数字，或用 -o 另写一个文件名。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        titles = _guarded(lambda: _set_titles(template, workbook))
        imported = _guarded(lambda: import_workbook(workbook, titles))
    except InputRejected as exc:
        _refuse(exc, workbook, "，未写入 YAML")
    typer.echo("找到的表：")
    for line in imported.tables:
        typer.echo(f"  {line}")
    _print_problems(imported.problems, workbook)
    if has_errors(imported.problems):
        typer.echo(
            f"工作簿有 {sum(1 for p in imported.problems if p.severity is Severity.ERROR)} 个错误，未写入 YAML。",
            err=True,
        )
        raise typer.Exit(EXIT_ERRORS)
    if city_catalog is not None and imported.code_names:
        from .. import catalog

        catalog_file = city_catalog / catalog.CITY_CATALOG
        try:
            _guarded(
                lambda: write_file(
                    catalog_file, catalog.write_city_catalog(catalog_file, imported.code_names, imported.year or 2000)
                )
            )
        except InputRejected as exc:
            _refuse(exc, catalog_file)
        typer.echo(f"已把 {len(imported.code_names)} 个科目名称存入 {catalog_file}")
        imported.code_names = {}
    if template is None:
        template = imported.suggested_set or "base"
        if imported.suggested_set:
            typer.echo(f"模板集：{template}（按表名推断；可用 --set 指定）")
    text = department_yaml(imported, template, unfilled=into is None)
    if into is not None:
        from ..excel.into import update_department

        try:
            text, moved = _guarded(lambda: update_department(into, text))
        except InputRejected as exc:
            _refuse(exc, into, "，未改动")
        _print_problems(moved, into)
    try:
        _guarded(lambda: write_file(target, text.encode("utf-8")))
    except InputRejected as exc:
        _refuse(exc, target)
    confirm = sum(1 for line in imported.lines if line.confirm)
    typer.echo(
        f"已写入 {target}：{len(imported.lines)} 行支出、{len(imported.economic)} 行经济分类、"
        f"{len(imported.declared) + len(imported.declared_codes)} 个申报数"
        + (f"；{confirm} 行需要确认（见行末注释）" if confirm else "")
        + "。"
    )
    typer.echo(f"下一步：budgetgen check {target}")


def _is_fillin_workbook(path: Path) -> bool:
    from ..excel.fillin import is_fillin
    from ..excel.workbook import read_workbook

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        return is_fillin(_guarded(lambda: read_workbook(path)))
    except InputRejected:
        return False  # the export path below names what is wrong with the file


def _import_fillin(workbook: Path, target: Path, into: Path | None) -> None:
    """A filled-in budgetgen workbook becomes the department's YAML, losslessly."""
    from ..build import write_file
    from ..excel.fillin import fillin_yaml

    if into is not None:
        typer.echo(
            f"{workbook} 是 budgetgen 的填写用工作簿（整个部门），不是预算系统的导出表：用 -o 写成新的 YAML，"
            "不能用 --into 只替换数字。",
            err=True,
        )
        raise typer.Exit(EXIT_ERRORS)
    if _exists(target):
        typer.echo(f"{target} 已存在，未改动。用 -o 另写一个文件名。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        text = _guarded(lambda: fillin_yaml(workbook))
        _guarded(lambda: write_file(target, text.encode("utf-8")))
    except InputRejected as exc:
        _refuse(exc, workbook, "，未写入 YAML")
    typer.echo(f"已把填写用工作簿 {workbook} 转换为 {target}。下一步：budgetgen check {target}")


def _set_titles(name: str | None, workbook: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """The title words of the chosen set, or of every set found (the import reports the closest)."""
    from ..theme import list_sets, load_theme, search_dirs_for
    from ..wording import import_titles

    search = search_dirs_for(workbook)
    names = [name] if name else list(list_sets(search))
    titles = {}
    for set_name in names:
        try:
            titles[set_name] = import_titles(load_theme(set_name, search))
        except InputRejected:
            if name:
                raise
    return titles


@command()
def new(
    name: str = typer.Argument(..., metavar="部门名称", help="部门全称，如 某某市某某局"),
    code: str = typer.Option("000", "--code", metavar="编码", help="部门编码"),
    template: str = typer.Option("base", "--set", metavar="模板集", help="模板集名称"),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="文件", help="写入的文件（默认：部门名称.yaml 或 .xlsx）"
    ),
    as_workbook: bool = typer.Option(
        False,
        "--xlsx",
        help="写完整的填写用 Excel 工作簿（部门的每个部分一张工作表，带下拉列表），check 和 build 可直接读取，"
        "budgetgen import 可转为 YAML",
    ),
) -> None:
    """新建一个部门的源数据文件：各部分都已列出并附中文说明，原样即可通过检查并生成。

    示例：
    budgetgen new 某某市某某局 --code 471 --set hebei-city-2023
    budgetgen new 某某市某某局 --code 471 --xlsx
    """
    from ..build import name_problem, write_file
    from ..starter import starter_yaml

    suffix = "xlsx" if as_workbook else "yaml"
    if output is None and (problem := name_problem(name)):
        typer.echo(
            f"部门名称「{name[:40]}」{problem}，无法用作文件名。用 -o 给出文件名，如：budgetgen new {name[:20]!r} -o"
            f" 部门.{suffix}",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    target = output or Path(f"{name}.{suffix}")
    if _exists(target):
        typer.echo(f"{target} 已存在，未改动。用 -o 另写一个文件名。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        if as_workbook:
            from ..starter import starter_workbook

            _guarded(lambda: write_file(target, starter_workbook(name, code, template)))
        else:
            _guarded(lambda: write_file(target, starter_yaml(name, code, template).encode("utf-8")))
    except InputRejected as exc:
        _refuse(exc, target)
    typer.echo(
        f"已新建 {target}。{'按各工作表的表头' if as_workbook else '按注释'}填写后运行：budgetgen check {target}"
    )


@command()
def batch(
    inputs: list[Path] = typer.Argument(
        ..., metavar="文件夹或文件…", help="部门文件所在的文件夹（含子文件夹），或部门文件"
    ),
    output: Path = typer.Option(
        Path("output"), "-o", "--output", metavar="文件夹", help="输出文件夹：每个部门一个子文件夹，汇总文件在最上层"
    ),
    jobs: int | None = typer.Option(None, "-j", "--jobs", metavar="N", help="同时生成的进程数（默认：CPU 核数）"),
    formats: str = typer.Option(
        ",".join(DEFAULT_FORMATS), "--format", metavar="格式", help=f"输出格式，逗号分隔：{formats_help()}"
    ),
    engine: str | None = EngineOption,
    templates: Path | None = TemplatesOption,
    force: bool = typer.Option(False, "--force", help="全部重新生成（默认跳过输入、模板集和版本都没变的部门）"),
    as_json: bool = typer.Option(False, "--json", help="另写 汇总.json，供其他程序读取"),
    strict: bool = StrictOption,
) -> None:
    """一次生成全市所有部门：多进程并行，显示进度，写出汇总表（汇总.xlsx、汇总.html）。

    某个部门出错不影响其他部门；有错误的部门在汇总中列出，退出码为 1。
    上次已成功生成、且输入、模板集和 budgetgen 版本都没变的部门会被跳过（--force 全部重做）。

    示例：
    budgetgen batch 各部门/ -o 公开文件/ -j 2 --templates 城市模板
    """
    from ..batch import discover, run_batch
    from ..summary import write_summary

    chosen = chosen_formats(formats)
    engine = checked_engine(engine)
    files, notes = discover(inputs, output)
    for note_text in notes:
        typer.echo(f"提示：{note_text}", err=True)
    if not files:
        typer.echo("没有找到部门文件（.yaml、.yml，或填写用工作簿 .xlsx）。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    dirs = (templates,) if templates else ()
    progress = _Progress(len(files))
    with progress:
        base = inputs[0] if len(inputs) == 1 and inputs[0].is_dir() else None
        run = run_batch(
            files,
            output,
            chosen,
            dirs,
            jobs,
            force,
            strict,
            on_start=progress.start,
            on_done=progress.done,
            base=base,
            engine=engine,
        )
    rows = run.rows
    try:
        written = _guarded(lambda: write_summary(output, rows, as_json))
    except InputRejected as exc:
        _refuse(exc, output)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("已生成", "有警告", "有错误")}
    skipped = sum(1 for r in rows if r.get("skipped"))
    built = counts["已生成"] + counts["有警告"]
    typer.echo(
        f"共 {len(rows)} 个部门：已生成 {built} 个（其中 {counts['有警告']} 个有警告），未生成 {counts['有错误']} 个"
        + (f"（其中 {skipped} 个未变，已跳过）" if skipped else "")
        + f"。汇总：{'、'.join(str(p) for p in written)}"
    )
    for row in rows:
        if row["status"] == "有错误":
            first = next((p for p in row["problems"] if p["severity"] == "错误"), None)
            reason = f"{first['where']}：{first['message']}" if first else "见汇总"
            typer.echo(f"  未生成 {row['file']}：{reason}")
    if run.stopped:
        built = run.written
        listed = "、".join(str(output / key) for key in built[:10]) + ("等" if len(built) > 10 else "")
        report_stop(
            f"已中止：{len(built)} 个部门的文件已完整写出"
            + (f"（{listed}）" if built else "")
            + f"；其余 {len(files) - len(built)} 个未生成或有错误，没有留下临时文件。"
        )
        raise typer.Exit(130)
    raise typer.Exit(EXIT_ERRORS if counts["有错误"] else EXIT_OK)


class _Progress:
    """A rich progress bar on a terminal; one plain line per department elsewhere (CI, logs)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console

        self.total = total
        self.counts = {"已生成": 0, "有警告": 0, "有错误": 0}
        self.running: list[str] = []
        self.finished = 0
        self.console = Console(stderr=True)
        self.bar = None
        if self.console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
            )
            self.task = self.bar.add_task("生成中", total=total)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def start(self, path: Path) -> None:
        self.running.append(path.stem)
        self._describe()

    def done(self, row: dict) -> None:
        stem = Path(row["file"]).stem
        if stem in self.running:
            self.running.remove(stem)
        self.counts[row["status"]] = self.counts.get(row["status"], 0) + 1
        self.finished += 1
        finished = self.finished
        if self.bar:
            self.bar.update(self.task, advance=1)
            self._describe()
        else:
            state = "未变，跳过" if row.get("skipped") else row["status"]
            print(
                f"[{finished}/{self.total}] {state} {row['name'] or stem}（{row['seconds']:.1f} 秒）",
                file=sys.stderr,
                flush=True,
            )

    def _describe(self) -> None:
        if self.bar:
            counts = f"完成 {self.counts['已生成']} · 警告 {self.counts['有警告']} · 错误 {self.counts['有错误']}"
            self.bar.update(self.task, description=f"{counts}  正在：{'、'.join(self.running[:3])}")


@command()
def schema(
    output: Path = typer.Option(
        Path("schemas/budget.schema.json"), "-o", "--output", metavar="文件", help="写入的 JSON Schema 文件"
    ),
) -> None:
    """导出输入文件的 JSON Schema，供编辑器（如 VS Code）在输入时校验。

    示例：
    budgetgen schema -o schemas/budget.schema.json
    """
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    _write_atomically(output, text.encode("utf-8"))
    typer.echo(f"已写入 {output}")


@command()
def serve(
    folder: Path = typer.Argument(Path("."), metavar="文件夹", help="部门文件所在的文件夹（默认：当前文件夹）"),
    host: str = typer.Option(
        "127.0.0.1", "--host", metavar="地址", help="监听的地址；默认只有本机能打开，0.0.0.0 为本单位网络中的其他电脑"
    ),
    port: int = typer.Option(8765, "--port", metavar="端口", help="端口"),
    allowed_hosts: list[str] | None = typer.Option(
        None,
        "--allowed-host",
        metavar="名称",
        help="其他电脑打开网页时用的本机名称或 IP（可写多次）；其他名称的请求一律拒绝",
    ),
    templates: Path | None = TemplatesOption,
    open_browser: bool = typer.Option(False, "--open", help="启动后在本机的浏览器中打开网页"),
    no_accounts: bool = typer.Option(
        False,
        "--no-accounts",
        help="没有用户账号也在本机以外的地址监听（任何能打开网页的人都能修改文件，只在可信网络中用）",
    ),
) -> None:
    """打开本地网页：列出文件夹中的部门，检查、查看九张表、编辑、生成并下载 PDF/DOCX/XLSX，全市批量生成。

    启动后在浏览器中打开显示的地址；按 Ctrl+C 停止。

    示例：
    budgetgen serve examples/
    budgetgen serve 各部门/ --host 0.0.0.0 --allowed-host 192.168.1.20 --templates 城市模板
    """
    import uvicorn

    from ..web import create_app

    if not folder.is_dir():
        typer.echo(f"文件夹 {folder} 不存在。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    names = tuple(allowed_hosts or ()) + (() if host in ("0.0.0.0", "::") else (host,))
    from ..web.accounts import Accounts, AccountsUnavailable

    try:
        with_accounts = Accounts.beside(folder.resolve()).configured
    except AccountsUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    if host not in ("127.0.0.1", "localhost", "::1") and not with_accounts and not no_accounts:
        typer.echo(
            f"没有用户账号，不在 {host} 上监听：本单位网络中的任何人都能修改部门文件。先建立管理员账号："
            f"budgetgen users add 用户名 --role 管理员 --folder {folder}；确需无账号使用时加 --no-accounts。",
            err=True,
        )
        raise typer.Exit(EXIT_ERRORS)
    if host not in ("127.0.0.1", "localhost", "::1") and not with_accounts:
        typer.echo(
            f"注意：监听 {host}，没有用户账号：本单位网络中的其他电脑都能打开此网页并修改文件夹中的部门文件，"
            "只在可信的网络中这样使用。",
            err=True,
        )
        if not allowed_hosts and host in ("0.0.0.0", "::"):
            typer.echo(
                "其他电脑要打开网页，请用 --allowed-host 写出它们访问本机时用的名称或 IP（如 --allowed-host"
                " 192.168.1.20）；其他名称的请求会被拒绝。",
                err=True,
            )
    try:
        listening = _listen(host, port)
    except OSError as exc:
        reason = (
            "端口已被占用（可能已有一个 budgetgen serve 在运行）" if exc.errno in (98, 48, 10048) else os_reason(exc)
        )
        typer.echo(
            f"无法在 {host}:{port} 启动网页：{reason}。换一个端口再试，如：budgetgen serve {folder} --port {port + 1}",
            err=True,
        )
        raise typer.Exit(EXIT_ERRORS) from None
    app = create_app(folder, (templates,) if templates else (), allowed_hosts=names)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}/"
    typer.echo(f"budgetgen 网页已启动：{address} （文件夹 {folder.resolve()}；按 Ctrl+C 停止）")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, (address,)).start()  # once the server is answering
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def _listen(host: str, port: int):
    """The server's socket, bound before anything is announced: a port in use is said in Chinese."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    return listening


templates_app = typer.Typer(
    cls=ChineseGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=CONTEXT_SETTINGS,
    help="模板集：列出、查看、新建城市模板集。\n\n示例：\nbudgetgen templates list\nbudgetgen templates new"
    " qinhuangdao-2026 --from hebei-city-2023",
)
app.add_typer(templates_app, name="templates")
TemplateDirs = typer.Option(None, "--dir", metavar="文件夹", help="额外的模板集目录")


catalog_app = typer.Typer(
    cls=ChineseGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=CONTEXT_SETTINGS,
    help="科目目录：导入财政部《政府收支分类科目》的工作簿或 CSV，供全市各部门使用。\n\n示例：\n"
    "budgetgen catalog import 2026年政府收支分类科目.xlsx --year 2026",
)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("import", cls=ChineseCommand)
def catalog_import(
    source: Path = typer.Argument(
        ..., metavar="文件", help="科目表：.xlsx、.xls 或 .csv（科目编码、科目名称两列，或类/款/项分列）"
    ),
    year: int = typer.Option(..., "--year", metavar="年度", help="这份科目表适用的预算年度"),
    folder: Path = typer.Option(
        Path("."), "--dir", metavar="文件夹", help="写入该文件夹的“科目目录.csv”（部门文件所在文件夹或城市模板集）"
    ),
) -> None:
    """把一份科目表读入城市科目目录（科目目录.csv），列出新增的科目和与内置目录名称不同的科目。

    示例：
    budgetgen catalog import 2026年政府收支分类科目.xlsx --year 2026 --dir 全市部门
    """
    from .. import catalog
    from ..build import write_file
    from ..excel.catalog_file import read_catalog_file

    try:
        read = _guarded(lambda: read_catalog_file(source))
    except InputRejected as exc:
        _refuse(exc, source)
    function, economic = catalog.function_codes(), catalog.economic_codes()
    added, differs = {}, []
    for code, name in read.names.items():
        known = (function if code.startswith("2") else economic).name(code, year)
        if known is None:
            added[code] = name
        elif known.replace("(", "（").replace(")", "）") != name.replace("(", "（").replace(")", "）"):
            added[code] = name
            differs.append(f"{code}：内置「{known}」，此表「{name}」")
    target = folder / catalog.CITY_CATALOG
    try:
        _guarded(lambda: write_file(target, catalog.write_city_catalog(target, added, year)))
    except InputRejected as exc:
        _refuse(exc, target)
    typer.echo(
        f"读入 {len(read.names)} 个科目：新增 {len(added) - len(differs)} 个，"
        f"与内置目录名称不同 {len(differs)} 个；已写入 {target}"
    )
    for line in differs[:20]:
        typer.echo(f"  名称不同 {line}（表中将印此表的名称）")
    if read.skipped:
        typer.echo(f"跳过 {len(read.skipped)} 行（不是科目编码和名称）：{'、'.join(read.skipped[:10])}")


@templates_app.command("list", cls=ChineseCommand)
def templates_list(dirs: list[Path] | None = TemplateDirs) -> None:
    """列出可用的模板集：名称、继承自、说明。

    示例：
    budgetgen templates list --dir 城市模板
    """
    from ..theme import list_sets, load_theme, search_dirs_for

    search = search_dirs_for(None, tuple(dirs or ()))
    for name, folder in list_sets(search).items():
        try:
            theme = _guarded(partial(load_theme, name, search))
        except InputRejected as exc:
            typer.echo(f"{name}	（无法读取：{exc.problems[0].message}）")
            continue
        parent = theme.layers[1].name if len(theme.layers) > 1 else "-"
        description = theme.layers[0].settings.get("description", "")
        typer.echo(f"{name}	继承 {parent}	{description}	{folder}")


@templates_app.command("show", cls=ChineseCommand)
def templates_show(
    name: str = typer.Argument(..., metavar="模板集", help="模板集名称"),
    dirs: list[Path] | None = TemplateDirs,
) -> None:
    """显示模板集继承合并后的全部设置，以及每一层来自哪个文件夹。

    示例：
    budgetgen templates show hebei-city-2023
    """
    from ..theme import load_theme, search_dirs_for

    try:
        theme = _guarded(lambda: load_theme(name, search_dirs_for(None, tuple(dirs or ()))))
    except InputRejected as exc:
        _print_problems(exc.problems, Path(name), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    typer.echo("# 继承顺序（前者覆盖后者）：" + " → ".join(f"{layer.name}（{layer.folder}）" for layer in theme.layers))
    typer.echo(_settings_yaml(theme.settings))


@templates_app.command("vars", cls=ChineseCommand)
def templates_vars(
    name: str = typer.Argument("base", metavar="模板集", help="模板集名称（默认 base）"),
    example: Path | None = typer.Option(
        None, "--example", metavar="部门文件", help="示例值取自该部门文件（默认取自随程序提供的示例部门）"
    ),
    dirs: list[Path] | None = TemplateDirs,
) -> None:
    """列出句子可用的全部变量、本模板集的片段和过滤器：名称、含义、示例值。

    示例：
    budgetgen templates vars hebei-city-2023
    budgetgen templates vars 本市模板 --dir 城市模板 --example 某局.yaml
    """
    from dataclasses import replace

    from ..narrative import describe_variables
    from ..theme import builtin_examples_dir, load_theme, search_dirs_for

    try:
        theme = _guarded(lambda: load_theme(name, search_dirs_for(example, tuple(dirs or ()))))
    except InputRejected as exc:
        _print_problems(exc.problems, Path(name), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    source = example or _example_for(theme, builtin_examples_dir())
    analysis = _analyse_or_exit(source, dirs[0] if dirs else None)
    try:
        rows = _guarded(lambda: describe_variables(replace(analysis, theme=theme)))
    except InputRejected as exc:
        _print_problems(exc.problems, Path(name), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    typer.echo(f"# 模板集「{name}」的句子可用的变量（示例值取自 {source}）")
    typer.echo("# 写法：{{ 变量 }}，金额加 |wan，如 {{ expense.total|wan }}万元；列表用 [] 标出其中每一项的字段。")
    width = max(display_width(row.path) for row in rows) + 2
    for row in rows:
        typer.echo(
            f"{row.path}{' ' * (width - display_width(row.path))}{row.meaning}"
            + (f"　{'写法' if row.path.startswith('|') else '示例'}：{row.example}" if row.example else "")
        )


@templates_app.command("kinds", cls=ChineseCommand)
def templates_kinds() -> None:
    """列出可用的表的种类及每种表的设置（写在 theme.yaml 的 tables 下）。

    示例：
    budgetgen templates kinds
    """
    from ..tables import KINDS

    for kind in KINDS:
        typer.echo(f"{kind.key}　{kind.description}")
        for name, field in kind.options.model_fields.items():
            if name == "kind":
                continue
            default = "（必填）" if field.is_required() else f"默认 {_plain(field.default)}"
            typer.echo(f"    {name}　{default}")


def _plain(value) -> str:
    if hasattr(value, "model_dump"):
        return json.dumps(value.model_dump(), ensure_ascii=False, default=str)
    return json.dumps(value, ensure_ascii=False, default=str)


@templates_app.command("sections", cls=ChineseCommand)
def templates_sections() -> None:
    """列出可单独成为一部分的节（写在 theme.yaml 的 document.parts 中），及其印出的输入。

    示例：
    budgetgen templates sections
    """
    from ..sections import SECTIONS

    typer.echo("tables　表格部分：tables 列出要印的表（见 budgetgen templates kinds）")
    typer.echo("narrative　情况说明部分：标题、引言及 narrative.sections 中的各节（河北等地版式）")
    for section in SECTIONS.values():
        reads = f"　读取：{'、'.join(section.reads)}" if section.reads else ""
        typer.echo(f"{section.key}　{section.description}{reads}")


def _example_for(theme, folder: Path) -> Path:
    """The shipped example department written for the closest set of the chain."""
    examples = sorted(folder.glob("*.yaml"))
    for layer in theme.layers:
        for path in examples:
            if re.search(rf"^模板:\s*{re.escape(layer.name)}\s*$", path.read_text(encoding="utf-8"), re.M):
                return path
    return examples[0]


@templates_app.command("new", cls=ChineseCommand)
def templates_new(
    name: str = typer.Argument(..., metavar="名称", help="新模板集名称，如 qinhuangdao-2026"),
    base: str = typer.Option("base", "--from", metavar="模板集", help="继承的模板集"),
    directory: Path = typer.Option(Path("templates"), "--dir", metavar="文件夹", help="放新模板集的文件夹"),
) -> None:
    """新建一个继承某模板集的城市模板集；theme.yaml 中以注释列出可修改的全部设置。

    示例：
    budgetgen templates new qinhuangdao-2026 --from hebei-city-2023 --dir 城市模板
    """
    from ..theme import SET_NAME, load_theme, search_dirs_for

    if not SET_NAME.fullmatch(name) or ".." in name:
        typer.echo(f"模板集名称「{name}」不合法：只能包含字母、数字、-、_ 和 .", err=True)
        raise typer.Exit(EXIT_ERRORS)
    target = directory / name
    if target.exists():
        typer.echo(f"{target} 已存在，未改动。换一个名称，或直接编辑其中的 theme.yaml。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        parent = _guarded(lambda: load_theme(base, search_dirs_for(None, (directory,))))
    except InputRejected as exc:
        _print_problems(exc.problems, Path(base), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    inherited = {k: v for k, v in parent.settings.items() if k != "description"}
    commented = "\n".join(("# " + line) if line.strip() else "#" for line in _settings_yaml(inherited).splitlines())
    text = (
        f"# 模板集 {name}：继承 {base}，只需写出与 {base} 不同的设置。\n"
        "# 下面以注释列出继承来的全部设置；要修改某项，去掉该项（及其上级键）行首的“# ”再改写。\n"
        "# 句子是 Jinja 模板：{{ year }} 等为计算得到的数，|wan 印两位小数，|change 印“增加x万元/减少x万元/持平”。\n"
        "# 修改后运行：budgetgen templates show " + name + f" --dir {directory}  查看合并后的结果。\n\n"
        f"extends: {base}\n"
        f"description: {name}（在此写明城市、级次和年度）\n\n"
        f"{commented}\n"
    )
    target.mkdir(parents=True)
    (target / "theme.yaml").write_text(text, encoding="utf-8")
    typer.echo(f"已新建 {target / 'theme.yaml'}。部门文件中写“模板: {name}”，生成时加 --templates {directory}。")


def _settings_yaml(settings: dict) -> str:
    import yaml

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "as_tuple"):
            return float(value) if value != value.to_integral() else int(value)
        return value

    return yaml.safe_dump(
        plain(settings), allow_unicode=True, sort_keys=False, width=120, default_flow_style=False
    ).rstrip()


def _analyse_or_exit(file: Path, templates: Path | None, strict: bool = False) -> Analysis:
    dirs = (templates,) if templates else ()
    try:
        return _guarded(lambda: analyse(file, dirs, strict))
    except InputRejected as exc:
        _refuse(exc, file)


def _refuse(exc: InputRejected, file: Path, consequence: str = "") -> None:
    """Print every problem of a refused input and exit: 2 if unreadable, 1 otherwise."""
    _print_problems(exc.problems, file, err=True)
    errors = sum(1 for p in exc.problems if p.severity is Severity.ERROR)
    typer.echo(f"共 {errors} 个错误{consequence}。", err=True)
    raise typer.Exit(EXIT_UNREADABLE if exc.unreadable else EXIT_ERRORS)


def _exists(path: Path) -> bool:
    """Path.exists() raises for a name the file system refuses (too long): such a name is not there."""
    try:
        return path.exists()
    except OSError:
        return False


def _guarded(action: Callable):
    """Bugs in budgetgen itself still end with a Chinese message, not a traceback."""
    try:
        return action()
    except (InputRejected, typer.Exit):
        raise
    except Exception as exc:
        if os.environ.get("BUDGETGEN_DEBUG"):
            raise
        typer.echo(
            f"budgetgen 内部错误（{type(exc).__name__}: {exc}）。输入文件未被修改。"
            "请把输入文件和这条信息发给维护人员；设置环境变量 BUDGETGEN_DEBUG=1 可看到详细信息。",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def _print_problems(problems: list[Problem], file: Path, only: Severity | None = None, err: bool = False) -> None:
    for problem in problems:
        if only is None or problem.severity is only:
            typer.echo(problem.render(file), err=err)


def _print_summary(problems: list[Problem], analysis: Analysis) -> None:
    counts = {s: sum(1 for p in problems if p.severity is s) for s in Severity}
    mode = "元（每格由精确值四舍五入到 0.01 万元）" if analysis.budget.unit == "元" else "万元（上级数为所列明细之和）"
    from ..fonts import ROLES, fonts_used

    used = "，".join(
        f"{ROLES[role]}「{font or requested}」" for role, (requested, font, _) in fonts_used(analysis.theme).items()
    )
    typer.echo(
        f"检查完成：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，{counts[Severity.NOTE]}"
        f" 个提示。金额单位：{mode}；模板集：{analysis.theme.name}；字体：{used}。"
    )


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@command("next-year")
def next_year_command(
    file: Path = typer.Argument(..., metavar="部门文件", help="本年度的部门 YAML 文件"),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="文件", help="写入的文件（默认：文件名中的年份换成下一年，如 某局-2027.yaml）"
    ),
    year: int | None = typer.Option(None, "--year", metavar="年度", help="新文件的预算年度（默认：本年度 + 1）"),
    templates: Path | None = TemplatesOption,
) -> None:
    """开始下一年度：文字全部保留，本年的计算结果成为“上年”，本年的数字清空待导入新的导出表，
    含年份、日期的文字列入“待复核”（发布前逐条核对）。

    示例：
    budgetgen next-year 某局-2026.yaml
    budgetgen import 新导出.xlsx --into 某局-2027.yaml
    """
    from ..build import write_file
    from ..nextyear import default_target, next_year

    try:
        result = _guarded(lambda: next_year(file, year, (templates,) if templates else ()))
    except InputRejected as exc:
        _refuse(exc, file, "，未生成下一年度的文件")
    target = output or default_target(file, result.old_year, result.year)
    if _exists(target) or target.resolve() == file.resolve():
        typer.echo(f"{target} 已存在，未改动。用 -o 另写一个文件名。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        _guarded(lambda: write_file(target, result.text.encode("utf-8")))
    except InputRejected as exc:
        _refuse(exc, target)
    typer.echo(
        f"已生成 {target}（{result.year} 年度）：本年的计算结果已写入“上年”，本年的数字已清空，"
        f"{result.flagged} 处含年份、日期或上年数字的内容列在“待复核”中。\n"
        f"下一步：budgetgen import 新导出的工作簿 --into {target}，再逐条核对“待复核”（budgetgen check {target}）。"
    )


@command("diff")
def diff_command(
    old: Path = typer.Argument(..., metavar="旧文件", help="较早的部门文件（或上一年度的文件）"),
    new: Path = typer.Argument(..., metavar="新文件", help="较新的部门文件"),
    templates: Path | None = TemplatesOption,
) -> None:
    """列出两个版本之间不同的数字（按计算值：合计、各类、“三公”、各项目）和文字（旧、新并列）。

    示例：
    budgetgen diff 某局-2026.yaml 某局-2027.yaml
    """
    from ..diff import differences, render

    analyses = [_analyse_or_exit(file, templates) for file in (old, new)]
    typer.echo(render(_guarded(lambda: differences(*analyses)), str(old), str(new)), nl=False)


@command("workbook")
def workbook_command(
    file: Path = typer.Argument(..., metavar="部门文件", help="部门 YAML 文件"),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="文件", help="写入的工作簿（默认：与部门文件同名的 .xlsx）"
    ),
) -> None:
    """把部门 YAML 写成完整的填写用工作簿（每个部分一张工作表），在 Excel/WPS 中继续填写；
    check、build 可直接读取该工作簿，budgetgen import 工作簿 -o 文件.yaml 可转回 YAML。

    示例：
    budgetgen workbook 某局.yaml -o 某局-填写.xlsx
    """
    from ..analysis import load_input
    from ..build import write_file
    from ..excel.fillin import budget_workbook
    from ..validation import parse_budget

    target = output or file.with_suffix(".xlsx")
    if _exists(target):
        typer.echo(f"{target} 已存在，未改动。用 -o 另写一个文件名。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    try:
        budget = _guarded(lambda: parse_budget(load_input(file)))
        _guarded(lambda: write_file(target, budget_workbook(budget)))
    except InputRejected as exc:
        _refuse(exc, file, "，未写出工作簿")
    typer.echo(f"已写出 {target}：{file} 的每个部分各占一张工作表。填写后运行：budgetgen check {target}")


users_app = typer.Typer(
    cls=ChineseGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=CONTEXT_SETTINGS,
    help="网页的用户账号（保存在所服务文件夹的 .budgetgen-accounts.sqlite3 中）：管理员、审核人、填报人。\n\n示例：\n"
    "budgetgen users add 王科长 --role 管理员 --folder 各部门/\n"
    "budgetgen users add 李会计 --role 填报人 --folder 各部门/\n"
    "budgetgen users assign 李会计 档案局.yaml --folder 各部门/",
)
app.add_typer(users_app, name="users")
UsersFolder = typer.Option(Path("."), "--folder", metavar="文件夹", help="网页所服务的文件夹")


def _accounts(folder: Path):
    from ..web.accounts import Accounts

    if not folder.is_dir():
        typer.echo(f"文件夹 {folder} 不存在。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    return Accounts.beside(folder.resolve())


def _new_password(given: str | None) -> str:
    if given is not None:
        password = given
    else:
        password = typer.prompt("密码（至少 10 个字符）", hide_input=True, confirmation_prompt="再输入一次")
    if len(password) < 10:
        typer.echo("密码至少 10 个字符。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    return password


def _accounts_action(action: Callable):
    from ..web.accounts import AccountsUnavailable

    try:
        return action()
    except AccountsUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ERRORS) from None


@users_app.command("add", cls=ChineseCommand)
def users_add(
    name: str = typer.Argument(..., metavar="用户名"),
    role: str = typer.Option(..., "--role", metavar="角色", help="管理员、审核人 或 填报人"),
    password: str | None = typer.Option(None, "--password", metavar="密码", help="不写时提示输入（不显示）"),
    folder: Path = UsersFolder,
) -> None:
    """新建一个用户。第一个用户应是管理员：有了用户之后，网页要求登录。

    示例：
    budgetgen users add 王科长 --role 管理员 --folder 各部门/
    """
    accounts = _accounts(folder)
    secret = _new_password(password)
    _accounts_action(lambda: accounts.add_user(name, role, secret))
    typer.echo(f"已新建用户「{name}」（{role}）。")


@users_app.command("list", cls=ChineseCommand)
def users_list(folder: Path = UsersFolder) -> None:
    """列出用户、角色和分配的部门。

    示例：
    budgetgen users list --folder 各部门/
    """
    accounts = _accounts(folder)
    for user in _accounts_action(accounts.users):
        departments = "、".join(user["departments"]) or ("（全部）" if user["role"] != "填报人" else "（未分配）")
        typer.echo(f"{user['name']}\t{user['role']}\t{departments}")


@users_app.command("remove", cls=ChineseCommand)
def users_remove(name: str = typer.Argument(..., metavar="用户名"), folder: Path = UsersFolder) -> None:
    """删除一个用户（其登录随之失效）。

    示例：
    budgetgen users remove 李会计 --folder 各部门/
    """
    if not _accounts_action(lambda: _accounts(folder).remove_user(name)):
        typer.echo(f"没有用户「{name}」。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(f"已删除用户「{name}」。")


@users_app.command("assign", cls=ChineseCommand)
def users_assign(
    name: str = typer.Argument(..., metavar="用户名"),
    departments: list[str] = typer.Argument(..., metavar="部门文件…", help="文件夹中的部门文件名，如 档案局.yaml"),
    folder: Path = UsersFolder,
) -> None:
    """把部门分配给填报人：填报人只能看到和修改分配给他的部门。

    示例：
    budgetgen users assign 李会计 档案局.yaml 文化局.yaml --folder 各部门/
    """
    if not _accounts_action(lambda: _accounts(folder).assign(name, departments)):
        typer.echo(f"没有用户「{name}」。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(f"已把 {'、'.join(departments)} 分配给「{name}」。")


@users_app.command("reset", cls=ChineseCommand)
def users_reset(
    name: str = typer.Argument(..., metavar="用户名"),
    password: str | None = typer.Option(None, "--password", metavar="密码", help="不写时提示输入（不显示）"),
    folder: Path = UsersFolder,
) -> None:
    """重设一个用户的密码（解除锁定，已登录的会话失效）。

    示例：
    budgetgen users reset 李会计 --folder 各部门/
    """
    accounts = _accounts(folder)
    secret = _new_password(password)
    if not _accounts_action(lambda: accounts.reset_password(name, secret)):
        typer.echo(f"没有用户「{name}」。", err=True)
        raise typer.Exit(EXIT_ERRORS)
    typer.echo(f"已重设「{name}」的密码。")
