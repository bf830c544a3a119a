"""Compiled sentences are remembered (in the process, and across processes in Jinja's bytecode
cache) without weakening the sandbox or serving a stale sentence."""

from decimal import Decimal

import pytest
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.exceptions import SecurityError

from budgetgen import sandbox
from budgetgen.narrative import sentence_environment
from budgetgen.sandbox import render_bounded


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache of this test's own, and a process that has compiled nothing yet."""
    monkeypatch.setattr(sandbox, "bytecode_cache", lambda: FileSystemBytecodeCache(str(tmp_path)))
    monkeypatch.setattr(sandbox, "_compiled_code", {})
    return tmp_path


def compilations(monkeypatch) -> list[str]:
    seen: list[str] = []
    original = sandbox.BoundedSandbox._code

    def counting(self, source):
        seen.append(source)
        return original(self, source)

    monkeypatch.setattr(sandbox.BoundedSandbox, "_code", counting)
    return seen


def a_new_process(monkeypatch) -> None:
    """What a new process starts with: the bytecode cache on disk, nothing compiled in memory."""
    monkeypatch.setattr(sandbox, "_compiled_code", {})


def test_a_sentence_is_compiled_once_then_read_back_in_the_next_process(cache_dir, monkeypatch):
    seen = compilations(monkeypatch)
    sentence = "收入预算{{ 合计|wan }}万元。"
    first = sentence_environment().compiled(sentence).render(合计=Decimal("1234.5"))
    assert seen == [sentence] and len(list(cache_dir.iterdir())) == 1
    assert sentence_environment().compiled(sentence).render(合计=Decimal("1234.5")) == first  # same process
    a_new_process(monkeypatch)
    assert sentence_environment().compiled(sentence).render(合计=Decimal("1234.5")) == first
    assert seen == [sentence], "the second process read the compiled sentence from the cache"


def test_a_changed_sentence_is_compiled_afresh(cache_dir, monkeypatch):
    seen = compilations(monkeypatch)
    env = sentence_environment()
    assert env.compiled("甲{{ x }}").render(x=1) == "甲1"
    a_new_process(monkeypatch)
    assert env.compiled("乙{{ x }}").render(x=1) == "乙1"
    assert seen == ["甲{{ x }}", "乙{{ x }}"] and len(list(cache_dir.iterdir())) == 2


def test_a_damaged_cache_file_is_compiled_over(cache_dir, monkeypatch):
    env = sentence_environment()
    env.compiled("丙{{ x }}")
    for file in cache_dir.iterdir():
        file.write_bytes(b"\x00not a cache file")
    a_new_process(monkeypatch)
    assert env.compiled("丙{{ x }}").render(x=2) == "丙2"


def test_a_sentence_read_from_the_cache_is_still_bounded_by_the_sandbox(cache_dir, monkeypatch):
    hostile = "{{ 'x' * 100000000 }}{{ ''.__class__ }}"
    with pytest.raises(SecurityError):
        render_bounded(sentence_environment().compiled(hostile), 10_000)
    a_new_process(monkeypatch)
    with pytest.raises(SecurityError):
        render_bounded(sentence_environment().compiled(hostile), 10_000)


def test_without_a_usable_cache_sentences_still_compile(monkeypatch):
    monkeypatch.setattr(sandbox, "bytecode_cache", lambda: None)
    monkeypatch.setattr(sandbox, "_compiled_code", {})
    assert sentence_environment().compiled("丁{{ x }}").render(x=3) == "丁3"
