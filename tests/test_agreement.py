"""`agreement`: the written agreement for a demo citizen, in Danish and English, filled from the data."""

from __future__ import annotations

import pytest

CPR = "150390-1234"
DIAGNOSIS = "Angst"


@pytest.fixture
def demo(cli):
    cli("demo", "--size", "20")
    cli("edit", "Laila", "--cpr", CPR)  # she has one: it must never reach the agreement
    return cli


@pytest.mark.parametrize("lang, words", [
    ("en", ["Agreement on a company placement", "The parties", "Sub-goals", "Follow-up plan", "Signatures",
            "Date and signature: Laila Jensen", "Mentor / contact person at work"]),
    ("da", ["Aftale om virksomhedsforløb", "Parterne", "Delmål", "Opfølgningsplan", "Underskrifter",
            "Dato og underskrift: Laila Jensen", "Mentor / kontaktperson på arbejdspladsen"]),
])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_agreement_of_a_demo_citizen_in_both_languages(demo, lang, words, fmt):
    demo.lang = lang
    doc = demo.json("agreement", "Laila", "--format", fmt, "--consultant", "Anne Sørensen")
    text = doc["text"]
    for word in words:
        assert word in text, word
    # The parties, the placement with its company, address and mentor, tasks, sub-goals, the agreed wording.
    for fact in ("Laila Jensen", "Zoo-butikken", "Dyrehavevej 1, 8600 Silkeborg", "Maja Poulsen", "Anne Sørensen",
                 "dyrepasning", "Fra 4 til 5 timer om dagen", "løfter ikke tungt"):
        assert fact in text, fact
    # The follow-up dates come from the cadence, each a date of the plan.
    assert len(doc["followups"]) >= 2 and doc["followups"] == sorted(doc["followups"])
    for day in doc["followups"]:
        assert "-".join(reversed(day.split("-"))) in text
    # Never the CPR number (in any form) and never the free-text accommodations with their diagnosis.
    assert CPR not in text and CPR.replace("-", "") not in text and "150390" not in text
    assert DIAGNOSIS not in text and "støj" not in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "@page { size: A4" in text


def test_need_tags_are_the_wording_when_none_was_agreed(demo):
    demo("wish", "Laila", "--agreed", "")
    text = demo("agreement", "Laila").stdout
    assert "The work is arranged so that the citizen avoids: tunge løft, mange mennesker." in text
    assert DIAGNOSIS not in text


def test_html_escapes_what_the_data_holds(demo):
    demo("goal", "add", "Laila", "<b>hold</b> & sæt", "--review", "+2w")
    text = demo("agreement", "Laila", "--format", "html").stdout
    assert "&lt;b&gt;hold&lt;/b&gt; &amp; sæt" in text and "<b>hold</b>" not in text


def test_written_to_a_file_remembered_and_ticked_when_asked(cli, tmp_path):
    cli("company", "add", "Lagerhuset", "--employees", "12")
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")
    cli("advance", "Mette", "--force", "--reason", "plan lagt")
    out = tmp_path / "aftale.html"
    doc = cli.json("agreement", "Mette", "--company", "Lager", "--format", "html", "--out", str(out), "--tick")
    assert doc["ticked"] == "done" and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    card = cli.json("show", "Mette")
    assert "agreement" in [c["item"] for c in card["enrollments"][0]["checklist"]]
    import sqlite3

    conn = sqlite3.connect(str(cli.db))
    remembered = [r[0] for r in conn.execute("SELECT path FROM written_files")]
    conn.close()
    assert str(out.resolve()) in remembered  # `forget` can name the file later


def test_tick_without_an_agreement_item_writes_nothing(cli, tmp_path):
    cli("company", "add", "Lagerhuset")
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")
    out = tmp_path / "a.md"
    result = cli("agreement", "Mette", "--company", "Lager", "--out", str(out), "--tick", code=2)
    assert "no agreement item" in result.stderr and not out.exists()


def test_an_own_template_and_its_mistakes(cli, tmp_path):
    cli("company", "add", "Lagerhuset")
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")
    own = tmp_path / "kommune.md"
    own.write_text("Silkeborg Kommune\n$title\n$parties\n$signatures\n", encoding="utf-8")
    text = cli("agreement", "Mette", "--company", "Lager", "--template", str(own)).stdout
    assert text.startswith("Silkeborg Kommune\nAgreement on a company placement\n- **Citizen:** Mette Hansen")
    own.write_text("$title $diagnose\n", encoding="utf-8")
    result = cli("agreement", "Mette", "--company", "Lager", "--template", str(own), code=2)
    assert "asks for $diagnose" in result.stderr and "Traceback" not in result.stderr
    builtin = cli("agreement", "Mette", "--print-template", "--format", "html").stdout
    assert "$placement" in builtin and "@page" in builtin


def test_no_company_no_agreement(cli):
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "2026-01-05")
    result = cli("agreement", "Mette", code=2)
    assert "--company" in result.stderr
