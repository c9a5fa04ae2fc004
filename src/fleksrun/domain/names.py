"""How a typed name is matched with a stored one: the search key ("søgenøgle") of a name.

Both sides are folded the same way, so that what a Dane types finds the name as it was written:

- case for all of Unicode (``casefold``, after NFKC: ``ÅSE`` = ``åse``, ``ß`` = ``ss``);
- the Danish letters as they are spelt without them: ``å`` = ``aa`` (Åse = Aase, Ålborg = Aalborg),
  ``æ`` = ``ae``, ``ø`` = ``oe`` (Søren = Soeren); the Swedish and German ``ä`` and ``ö`` are the same
  letters as ``æ`` and ``ø`` (Jörgensen = Jørgensen);
- other accents dropped (René = Rene);
- hyphens and runs of spaces read as one space (Nielsen-Bøgh = Nielsen Bøgh).

The letters become their two-letter spellings, not the other way round, so that a name typed only
in part still matches from its start: ``Ka`` finds Kåre, ``Micha`` finds Michael.
"""

from __future__ import annotations

import unicodedata

_RING, _DIAERESIS = "\u030a", "\u0308"
# After NFKD: the letters that stay one character, and the base letters whose mark is a spelling.
_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "-": " ", "\u2010": " ", "\u2011": " "})
_MARKED = {("a", _RING): "aa", ("a", _DIAERESIS): "ae", ("o", _DIAERESIS): "oe"}


def name_key(text: str) -> str:
    """The search key of a name or of a typed part of one (see the module)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for char in decomposed.translate(_LETTERS):
        if unicodedata.combining(char):
            spelt = _MARKED.get((out[-1], char)) if out else None
            if spelt is not None:
                out[-1] = spelt
            continue
        out.append(char)
    return " ".join("".join(out).split())


def word_keys(name: str) -> list[str]:
    """The keys a name is found by: the whole name, then the rest of it from each later word on
    ("mette hansen", "hansen"), so that the start of a first name or a surname finds it."""
    words = name_key(name).split(" ")
    return [" ".join(words[i:]) for i in range(len(words)) if words[i]]
