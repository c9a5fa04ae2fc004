"""The catalogue index finds every key, whatever the TOML layout of the file."""

from __future__ import annotations

import fleksrun.i18n as i18n


def test_keys_outside_plain_table_headers_are_found(tmp_path, monkeypatch):
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "odd.toml").write_text(
        'loose = "before any table"\ntop.key = "dotted at the top"\n'
        '  [indented]\nkey = "under an indented header"\n["quoted"]\nkey = "under a quoted header"\n'
        '[a.b]\nc = "nested"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "_HERE", tmp_path)
    for cached in (i18n._index, i18n._file_messages, i18n.catalogue):
        cached.cache_clear()
    try:
        for key, text in [("loose", "before any table"), ("top.key", "dotted at the top"),
                          ("indented.key", "under an indented header"), ("quoted.key", "under a quoted header"),
                          ("a.b.c", "nested")]:
            assert i18n._lookup("en", key) == text, key
    finally:
        for cached in (i18n._index, i18n._file_messages, i18n.catalogue):
            cached.cache_clear()
