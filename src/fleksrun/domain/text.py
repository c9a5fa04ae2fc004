"""Characters that may not be typed in, and how they are shown when old data holds them.

A terminal obeys control characters: ESC starts a sequence that can clear the screen or set the
window's title, and the bidirectional overrides turn text around so that it reads as something else.
Such characters have no place in a name, a note or any other value a person types, so they are
refused at input (``refuse_control``) and, where they are in a file already, shown visibly at
output (``visible``): ESC as ``\\x1b``, a right-to-left override as ``\\u202e``.
"""

from __future__ import annotations

import unicodedata

from fleksrun.errors import InputError

# Control characters (C0, DEL, C1: category Cc), format characters (Cf: the bidirectional marks,
# embeddings, overrides and isolates, zero-width spaces and joiners, the byte-order mark) and the line
# and paragraph separators (Zl, Zp): none is needed in anything a person types here.
_UNSAFE = frozenset(("Cc", "Cf", "Zl", "Zp"))
# On output a line break and a tab are layout, not a danger: Rich and the terminal lay them out.
_LAYOUT = "\n\t"


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control and spoofing character written out (``\\x1b``, ``\\u202e``);
    line breaks and tabs stay. Text without such characters comes back as it was."""
    if text.isprintable():  # the common case, checked in C
        return text
    return "".join(_escaped(c) if c not in _LAYOUT and _unsafe(c) else c for c in text)


def refuse_control(text: str, field: str) -> None:
    """Refuse ``text`` typed for ``field`` (an option such as --note, or an argument such as NAME)
    when it holds a control or spoofing character; the error names the field and the character."""
    if text.isprintable():
        return
    for char in text:
        if _unsafe(char):
            raise InputError("text.control", field=field, char=_escaped(char))
