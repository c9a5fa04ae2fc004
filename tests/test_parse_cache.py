"""The cache of parsed shipped TOML: the same value as parsing, parsed again when the file changes,
and never in the way when it cannot be used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fleksrun import parse_cache
from fleksrun.domain.programs import parse_program
from fleksrun.domain.programs.builtins import BUILTIN_FILES, _FOLDER, builtin_program


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FLEKSRUN_NO_CACHE", raising=False)
    return tmp_path / "cache"


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self, text: str) -> dict:
        self.calls += 1
        return {"text": text, "lines": text.count("\n")}


def test_the_second_read_comes_from_the_cache(tmp_path, cache):
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    parse = Counting()
    first = parse_cache.parsed(source, parse)
    assert parse_cache.parsed(source, parse) == first == {"text": "x = 1\n", "lines": 1}
    assert parse.calls == 1
    assert len(list(parse_cache.folder().glob("a-*.pickle"))) == 1


def test_a_changed_file_is_parsed_again_and_its_old_entry_goes(tmp_path, cache):
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    parse = Counting()
    parse_cache.parsed(source, parse)
    source.write_text("x = 22\ny = 3\n", encoding="utf-8")
    assert parse_cache.parsed(source, parse) == {"text": "x = 22\ny = 3\n", "lines": 2}
    assert parse.calls == 2
    assert len(list(parse_cache.folder().glob("a-*.pickle"))) == 1


def test_two_files_of_one_name_in_two_folders_are_kept_apart(tmp_path, cache):
    (tmp_path / "en").mkdir()
    (tmp_path / "da").mkdir()
    (tmp_path / "en" / "core.toml").write_text("a = 1\n", encoding="utf-8")
    (tmp_path / "da" / "core.toml").write_text("b = 2\n", encoding="utf-8")
    parse = Counting()
    assert parse_cache.parsed(tmp_path / "en" / "core.toml", parse)["text"] == "a = 1\n"
    assert parse_cache.parsed(tmp_path / "da" / "core.toml", parse)["text"] == "b = 2\n"
    assert parse_cache.parsed(tmp_path / "en" / "core.toml", parse)["text"] == "a = 1\n"
    assert parse.calls == 2


def test_a_damaged_entry_is_parsed_again(tmp_path, cache):
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    parse = Counting()
    parse_cache.parsed(source, parse)
    [entry] = parse_cache.folder().glob("a-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert parse_cache.parsed(source, parse)["text"] == "x = 1\n"
    assert parse.calls == 2


def test_a_cache_folder_that_cannot_be_made_is_not_used(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    parse = Counting()
    assert parse_cache.parsed(source, parse)["text"] == "x = 1\n"
    assert parse_cache.parsed(source, parse)["text"] == "x = 1\n"
    assert parse.calls == 2


def test_it_can_be_turned_off(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("FLEKSRUN_NO_CACHE", "1")
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    parse = Counting()
    parse_cache.parsed(source, parse)
    parse_cache.parsed(source, parse)
    assert parse.calls == 2 and not cache.exists()


@pytest.mark.parametrize("name", BUILTIN_FILES)
def test_a_builtin_programme_from_the_cache_is_the_parsed_file(cache, name):
    path = _FOLDER / name
    fresh = parse_program(path.read_text(encoding="utf-8"), name)
    builtin_program.cache_clear()
    try:
        first = builtin_program(name.removesuffix(".toml"))   # parsed, then kept
        builtin_program.cache_clear()
        cached = builtin_program(name.removesuffix(".toml"))  # read back from the cache
    finally:
        builtin_program.cache_clear()
    assert first == cached == fresh
    assert any(parse_cache.folder().glob(name.removesuffix(".toml") + "-*.pickle"))


def test_an_edit_of_the_same_size_with_the_old_time_is_parsed_again(tmp_path, cache):
    source = tmp_path / "a.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    stamp = source.stat()
    parse = Counting()
    parse_cache.parsed(source, parse)
    source.write_text("x = 2\n", encoding="utf-8")
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as `cp -p` or `rsync -t` leave it
    assert parse_cache.parsed(source, parse)["text"] == "x = 2\n"
    assert parse.calls == 2
