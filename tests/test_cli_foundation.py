"""The foundation through the front door: enroll, citizens, show, edit, companies, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import file_digest


def test_enroll_then_citizens_json_lists_her_with_programme_and_first_phase(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")
    doc = cli.json("citizens")
    assert doc["today"] == "2026-03-30"
    assert doc["items"] == [
        {
            "id": 1, "name": "Mette Hansen", "program": "ovebane", "phase": "ovebane", "start": "2026-03-31",
            "status": "active", "enrollment_id": 1, "end": None, "outcome": None, "days_in_phase": -1,
            "next_day": None, "next_followup": None,
        }
    ]


def test_citizens_on_an_empty_database_prints_a_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("citizens")
    assert "No active citizens yet" in result.stdout
    assert result.stderr == ""


def test_show_prints_the_card(cli):
    cli("enroll", "Mette Hansen", "--program", "jobgaranti", "--start", "31-03-2026", "--phone", "12345678")
    result = cli("show", "mette")
    assert "Mette Hansen" in result.stdout
    assert "jobgaranti" in result.stdout
    assert "Step 1: Clarification" in result.stdout
    assert "31-03-2026" in result.stdout
    card = cli.json("show", "1")
    assert card["enrollments"][0]["phase"] == "trin1"
    assert card["enrollments"][0]["phases"][0]["entered"] == "2026-03-31"


def test_cpr_is_masked_everywhere_unless_revealed(cli):
    cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "310385-1234")
    outputs = [
        cli("citizens").stdout, cli("show", "Mette").stdout, cli("citizens", "--json").stdout,
        cli("show", "Mette", "--json").stdout, cli("enroll", "Mette", "--existing", "--program", "ovebane").stdout,
    ]
    for text in outputs:
        assert "1234" not in text
    assert "310385-xxxx" in cli("show", "Mette").stdout
    assert json.loads(cli("show", "Mette", "--reveal", "--json").stdout)["cpr"] == "310385-1234"


def test_malformed_cpr_never_echoes_the_number(cli):
    result = cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "319985-12345", code=2)
    assert "12345" not in result.stderr and "3199" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (("enroll", "Mette", "--program", "ovebane", "--start", "31-02-2026"), "31-02-2026"),
        (("enroll", "Mette", "--program", "ovebane", "--start", "next tuesdy"), "next tuesdy"),
        (("enroll", "Mette", "--program", "nosuch"), "nosuch"),
        (("show", "Nobody"), "Nobody"),
        (("show", "Han"), "several"),
        (("show", "99"), "99"),
        (("enroll", "Mette", "--program", "ovebane", "--cpr", "12345"), "CPR"),
        (("edit", "Jens", "--followup-every", "-3"), "cadence"),
    ],
)
def test_bad_input_exits_2_with_one_sentence_and_writes_nothing(cli, args, words):
    cli("enroll", "Jens Hansen", "--program", "ovebane")
    cli("enroll", "Hanne Berg", "--program", "ovebane")
    before = file_digest(cli.db)
    result = cli(*args, code=2)
    assert words in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert file_digest(cli.db) == before


def test_error_under_json_is_a_json_document(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("show", "Nobody", "--json", code=2)
    doc = json.loads(result.stdout)
    assert doc["error"]["code"] == "not_found"
    assert "Nobody" in doc["error"]["message"]


def test_ambiguous_name_lists_the_candidates(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("enroll", "Mette Jensen", "--program", "ovebane")
    result = cli("show", "mette", code=2)
    assert "1 Mette Hansen" in result.stderr and "2 Mette Jensen" in result.stderr


def test_exact_name_wins_over_a_longer_one(cli):
    cli("enroll", "Ali", "--program", "ovebane")
    cli("enroll", "Alida Nielsen", "--program", "ovebane")
    assert cli.json("show", "ali")["name"] == "Ali"


def test_one_active_enrollment_per_programme(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    result = cli("enroll", "Mette", "--existing", "--program", "ovebane", code=3)
    assert "already active" in result.stderr
    cli("enroll", "Mette", "--existing", "--program", "rampen")
    assert [i["program"] for i in cli.json("citizens")["items"]] == ["ovebane", "rampen"]


def test_edit_changes_details_and_cadence(cli):
    cli("enroll", "Mette Hansen", "--program", "rampen")
    cli("edit", "Mette", "--followup-every", "14", "--phone", "11223344")
    card = cli.json("show", "Mette")
    assert card["followup_every"] == 14 and card["phone"] == "11223344"
    cli("edit", "Mette", "--name", "Mette Hansen Berg")
    assert cli.json("show", "1")["name"] == "Mette Hansen Berg"


def test_group_must_belong_to_the_programme(cli):
    result = cli("enroll", "Per", "--program", "fleksjob_aalborg", "--group", "nonsense", code=2)
    assert "nonsense" in result.stderr
    cli("enroll", "Per", "--program", "fleksjob_aalborg", "--group", "ledighedsydelse")


def test_company_add_and_list(cli):
    cli("company", "add", "Bageriet", "--cvr", "12345678", "--employees", "12", "--contact", "Lone")
    cli("company", "add", "Byggemarkedet")
    items = cli.json("company", "list")["items"]
    assert [(c["id"], c["name"], c["employees"]) for c in items] == [(1, "Bageriet", 12), (2, "Byggemarkedet", None)]
    assert cli("company", "add", "bageriet", code=3).stderr.startswith("A company named")
    assert cli("company", "add", "X", "--cvr", "123", code=2).stderr


def test_company_list_empty_is_a_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    assert "No companies yet" in cli("company", "list").stdout


def test_programs_lists_the_five_builtins(cli):
    ids = [p["id"] for p in cli.json("programs")["items"]]
    assert ids[:5] == ["ovebane", "rampen", "virksomhedscenter", "jobgaranti", "fleksjob_aalborg"]
    table = cli("programs").stdout
    for pid in ids:
        assert pid in table


def test_program_show_explains_rules_in_words(cli):
    text = cli("program", "show", "jobgaranti").stdout
    assert "30 ordinary hours" in text
    assert "trin2" in text
    doc = cli.json("program", "show", "jobgaranti")
    trin3 = doc["phases"][2]
    assert trin3["mode"] == "any"
    assert {"kind": "ordinary_hours_month", "min": 30} in trin3["rules"]


def test_broken_user_programme_names_file_phase_and_key(cli, tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text(
        'id = "mine"\nname = "Mine"\n[followup]\nevery_days = 30\n'
        '[[phases]]\nid = "one"\nname = "One"\nmode = "all"\nrules = [{ kind = "ordinary_hours_month", min = -5 }]\n',
        encoding="utf-8",
    )
    result = cli("program", "add", str(bad), code=2)
    assert "mine.toml" in result.stderr and "one" in result.stderr and "min" in result.stderr


def test_user_programme_can_be_added_and_used(cli, tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text(
        'id = "mine"\nname = "Mine"\n[followup]\nevery_days = 30\n'
        '[[phases]]\nid = "one"\nname = "One"\nmode = "all"\nrules = [{ kind = "weeks_in_phase", min = 4 }]\n'
        '[[phases]]\nid = "two"\nname = "Two"\nmode = "all"\n',
        encoding="utf-8",
    )
    cli("program", "add", str(good))
    cli("enroll", "Mette", "--program", "mine")
    assert cli.json("citizens")["items"][0]["phase"] == "one"
    assert "mine" in [p["id"] for p in cli.json("programs")["items"]]


def test_version_and_help_need_no_database(cli):
    assert cli("--version").stdout.startswith("fleksrun ")
    assert "enroll" in cli("--help").stdout
    assert not cli.db.exists()


def test_import_cli_loads_no_heavy_module():
    code = (
        "import sys, fleksrun.cli.app; "
        "print(sorted(m for m in ('rich', 'sqlite_utils', 'dateutil', 'holidays', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["due", "--help"], ["--lang", "da", "--help"]])
def test_help_and_version_load_no_heavy_module(args):
    code = ("import sys; sys.argv = ['fleksrun', *sys.argv[1:]]\n"
            "from fleksrun.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "heavy = ('rich', 'sqlite_utils', 'dateutil', 'holidays', 'pydantic')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_database_file_is_private(cli):
    cli("enroll", "Mette", "--program", "ovebane")
    assert cli.db.stat().st_mode & 0o777 == 0o600


def test_bad_language_is_an_input_error(cli):
    result = cli("--lang", "fr", "citizens", code=2)
    assert "--lang" in result.stderr


def test_a_run_builds_only_the_command_it_names():
    import typer.main

    from fleksrun.cli.app import build_app

    everything = typer.main.get_command(build_app())
    assert len(everything.commands) > 20
    for name in everything.commands:
        assert list(typer.main.get_command(build_app(name)).commands) == [name]
    assert list(typer.main.get_command(build_app("nosuch")).commands) == list(everything.commands)


@pytest.mark.parametrize("argv, command", [
    (["--db", "x.db", "--today", "2026-03-30", "due", "--week", "uge 14"], "due"),
    (["--lang", "da", "company", "add", "X"], "company"),
    (["--version"], None),
    ([], None),
])
def test_the_command_is_found_past_the_global_options(argv, command):
    from fleksrun.cli.argv import scan

    assert scan(argv).command == command


@pytest.mark.parametrize("argv, as_json, lang", [
    (["--lang", "da", "show", "1", "--json"], True, "da"),
    (["--lang=da", "due"], False, "da"),
    (["due", "--lang"], False, None),
    (["--db", "--json", "due"], False, None),  # the database's name, however odd
])
def test_json_and_lang_are_found_in_the_same_pass(argv, as_json, lang):
    from fleksrun.cli.argv import scan

    line = scan(argv)
    assert (line.json, line.lang) == (as_json, lang)


def test_the_console_script_builds_only_the_command_it_runs(tmp_path, monkeypatch):
    import typer.main

    from fleksrun.cli.app import main

    built = []
    real = typer.main.get_command

    def spy(app):
        command = real(app)
        built.append(sorted(command.commands))
        return command

    monkeypatch.setattr(typer.main, "get_command", spy)
    monkeypatch.setattr(sys, "argv", ["fleksrun", "--db", str(tmp_path / "f.db"), "config"])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0
    assert built == [["config"]]


def test_a_long_list_is_cut_with_a_sentence_but_json_has_every_row(cli):
    cli("demo", "--size", "30")
    active = len(cli.json("citizens")["items"])
    assert active > 10
    result = cli("citizens", "--limit", "10")
    assert f"Citizens ({active})" in result.stdout
    assert f"… and {active - 10} more rows" in " ".join(result.stdout.split())
    assert "more rows" not in cli("citizens", "--limit", "0").stdout


def test_help_before_a_command_is_the_whole_apps_help():
    from fleksrun.cli.argv import scan

    assert scan(["--help", "due"]).command is None
    assert scan(["-h", "due"]).command is None


def test_enrolling_an_existing_citizen_by_number_names_her(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    result = cli("enroll", "1", "--existing", "--program", "rampen")
    assert "Enrolled Mette Hansen (citizen 1) in rampen" in result.stdout


def test_a_json_list_that_fails_half_way_is_a_clean_json_error(cli):
    import sqlite3 as sqlite

    cli("demo", "--size", "30")
    with sqlite.connect(cli.db) as conn:  # a current phase its programme does not define
        conn.execute("UPDATE phases SET phase = 'nosuch' WHERE left IS NULL AND enrollment_id = "
                     "(SELECT id FROM enrollments WHERE status = 'active' ORDER BY id DESC LIMIT 1)")
    result = cli("check", "--json", code=2)
    assert set(json.loads(result.stdout)) == {"error"}


@pytest.mark.parametrize("args, lang, words", [
    (("due", "--days", "0"), "en", "0 is not between 1 and 366"),
    (("due", "--days", "999"), "da", "999 er ikke mellem 1 og 366"),
    (("citizens", "--limit", "-1"), "en", "-1 is less than 0"),
    (("citizens", "--limit", "x"), "da", "'x' er ikke et helt tal"),
])
def test_a_number_out_of_range_or_not_whole_is_said_in_words(cli, args, lang, words):
    result = cli(*args, code=2, env={"FLEKSRUN_LANG": lang})
    assert words in result.stderr and "<=" not in result.stderr and "int" not in result.stderr


def test_every_option_the_readme_gives_a_short_form_has_it_on_every_command():
    from importlib import import_module

    import typer

    from fleksrun.cli.app import COMMAND_MODULES

    short = {"--program": "-p", "--company": "-c", "--limit": "-n", "--yes": "-y"}
    seen, lacking = set(), []
    for name in COMMAND_MODULES:
        probe = typer.Typer()
        import_module(f"fleksrun.cli.{name}").register(probe)
        root = typer.main.get_command(probe)
        commands = root.commands.values() if hasattr(root, "commands") else [root]
        stack = list(commands)
        while stack:
            command = stack.pop()
            stack.extend(getattr(command, "commands", {}).values())
            for param in command.params:
                for long in set(short) & set(param.opts):
                    seen.add(long)
                    if short[long] not in param.opts:
                        lacking.append(f"{command.name} {long}")
    assert seen == set(short) and lacking == []
