"""The closed choices of the command line, and the Danish words a consultant types for them.

Each choice maps its codes (what the database and --json hold) to the Danish words that mean the
same; the first word is the one Danish help and messages name. Input is read with the name fold
(``domain.names``: any case, ø = oe, hyphens and underscores as spaces), so ``Spring-over``,
``spring over`` and ``SKIP`` all give ``skip``, in either language of the output.
"""

from __future__ import annotations

from fleksrun.domain.names import name_key

DANISH: dict[str, dict[str, tuple[str, ...]]] = {
    "followup_kind": {"talk": ("samtale",), "phone": ("telefon", "telefonsamtale", "opkald"),
                      "visit": ("besøg",), "mail": ("mail", "e-mail", "email"), "meeting": ("møde",)},
    "with": {"citizen": ("borger", "borgeren"), "company": ("virksomhed", "virksomheden"),
             "both": ("begge", "borger og virksomhed")},
    "absence": {"sick": ("syg", "sygdom"), "other": ("andet", "anden årsag"),
                "no-show": ("udeblevet", "udeblivelse", "ikke mødt")},
    "outcome": {"flexjob": ("fleksjob",), "job": ("job", "ordinært job"), "education": ("uddannelse",),
                "dropout": ("frafald", "faldet fra"), "rehab": ("rehabiliteringsteam", "rehab"),
                "moved": ("fraflyttet", "flyttet"), "other": ("andet",)},
    # The kinds of a placement are the kinds of hours too (`hours --clear`).
    "work_kind": {"practice": ("praktik", "virksomhedspraktik"), "ordinary": ("ordinære timer", "ordinær", "ordinært"),
                  "flexjob": ("fleksjob",), "subsidised": ("løntilskud",)},
    "holidays": {"skip": ("spring over", "spring"), "shift": ("flyt", "ryk"), "extend": ("læg til sidst", "forlæng"),
                 "keep": ("behold",)},
    "agenda_kind": {"followup": ("opfølgning",), "aftercare": ("efterværn",), "practice_day": ("praktikdag", "dag"),
                    "attendance_missing": ("manglende fremmøde", "fremmøde"),
                    "ready_to_advance": ("klar til næste fase", "klar"),
                    "hours_at_risk": ("timer i fare", "timer"), "placement_ending": ("forløb slutter", "slutter"),
                    "practice_limit": ("praktikgrænse", "grænse"), "data_missing": ("manglende timer", "mangler data"),
                    "goal_review": ("delmål", "opfølgning på delmål")},
    "chart": {"hours": ("timer",), "funnel": ("tragt",)},
}


def _fold(text: str) -> str:
    return name_key(text.replace("_", " "))


def codes(choice: str) -> tuple[str, ...]:
    return tuple(DANISH[choice])


def to_code(choice: str, text: str) -> str | None:
    """The code that ``text`` (an English code or a Danish word) names among ``choice``'s, or None."""
    wanted = _fold(text)
    for code, words in DANISH[choice].items():
        if wanted == _fold(code) or any(wanted == _fold(word) for word in words):
            return code
    return None


def word(choice: str, code: str, lang: str) -> str:
    """How a user of ``lang`` types ``code``: the code, or its first Danish word."""
    return DANISH[choice][code][0] if lang == "da" else code


def words(choice: str, lang: str) -> tuple[str, ...]:
    """The choice's values as a user of ``lang`` types them."""
    return tuple(word(choice, code, lang) for code in DANISH[choice])
