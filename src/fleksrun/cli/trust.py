"""Commands that keep the data trustworthy: history, undo, forget, backup, doctor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from fleksrun.cli.options import JsonOpt, today


def _when(at: str | None) -> str | None:
    """A journal timestamp (UTC) in the local time of this machine, day first."""
    if not at:
        return None
    import datetime as _dt

    return _dt.datetime.fromisoformat(at).astimezone().strftime("%d-%m-%Y %H:%M")


def _value(value: Any) -> str:
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _change_text(change: dict[str, Any], named: Callable[[dict[str, Any], str, Any], Any]) -> str:
    from fleksrun.i18n import t

    fields = change["fields"]
    if change["action"] == "update":
        detail = ", ".join(f"{k} {_value(named(change, k, v['before']))} → {_value(named(change, k, v['after']))}"
                           for k, v in fields.items())
    elif change["action"] == "insert":
        # Timestamps of the row itself say little here; the command's own time is in its own column.
        detail = ", ".join(f"{k}={_value(named(change, k, v['after']))}" for k, v in fields.items()
                           if not k.endswith("_at"))
    else:
        detail = ""
    return t(f"history.{change['action']}", table=change["table"], id=change["row_id"], detail=detail).strip()


def _namer(db: Any) -> Callable[[dict[str, Any], str, Any], Any]:
    """Stored codes as the user reads them: a phase and a checklist item by its programme's name for
    it, an outcome by its name (``--json`` keeps the codes)."""
    from fleksrun.cli.names import Names, outcome_name

    names = Names(db)

    def program_of(change: dict[str, Any]) -> str | None:
        enrollment = change["fields"].get("enrollment_id", {})
        enrollment_id = enrollment.get("after") or enrollment.get("before")
        if enrollment_id is None and change["table"] in ("phases", "checklist"):
            row = db.execute(f"SELECT enrollment_id FROM {change['table']} WHERE id = ?", [change["row_id"]]).fetchone()
            enrollment_id = row[0] if row else None
        row = db.execute("SELECT program_id FROM enrollments WHERE id = ?", [enrollment_id]).fetchone()
        return row[0] if row else None

    def named(change: dict[str, Any], key: str, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        if key == "outcome":
            return outcome_name(value)
        if change["table"] in ("phases", "checklist") and key in ("phase", "item"):
            program = program_of(change)
            if program is not None:
                return names.phase(program, value) if key == "phase" else names.item(program, value)
        return value

    return named


def history(
    citizen: Annotated[str | None, typer.Argument(help="Only this citizen (number or part of the name).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many commands, newest first.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Show the change journal: when, which command, and what it changed."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, print_table, say
    from fleksrun.services.journal import history as read_history

    commands = read_history(state().db(), citizen, limit=limit)
    if as_json:
        print_json({"today": today(), "items": commands})
        return
    if not commands:
        say(t("history.none"))
        return
    rows = []
    named = _namer(state().db())
    for c in commands:
        label = c["command"]
        if c["undoes"]:
            label = t("history.undo_of", command=label, id=c["undoes"])
        if c["undone_at"]:
            label = t("history.undone", command=label)
        if c["pruned_at"]:
            label = t("history.pruned", command=label)
        rows.append({"id": c["id"], "when": _when(c["at"]), "command": label,
                     "changes": "\n".join(_change_text(ch, named) for ch in c["changes"][:12])
                     + (f"\n{t('history.more', count=len(c['changes']) - 12)}" if len(c["changes"]) > 12 else "")})
    print_table(t("history.title", count=len(rows)), [
        ("id", "#", "right"), ("when", t("history.col_when")), ("command", t("history.col_command")),
        ("changes", t("history.col_changes"))], rows)


def undo(as_json: JsonOpt = False) -> None:
    """Undo the last command (all its changes); run again to step further back."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.journal import undo as do_undo

    result = do_undo(state().db())
    if as_json:
        print_json(result)
    else:
        say(t("undo.done", id=result["undone"], command=result["command"], when=_when(result["at"]),
              rows=result["rows"]))


def forget(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Erase a citizen's personal data everywhere, the journal included; it cannot be undone."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say, warn
    from fleksrun.services.privacy import forget as do_forget
    from fleksrun.services.privacy import forget_preview

    st = state()
    db = st.db()
    preview = forget_preview(db, citizen)
    if not yes:
        # The question is printed by Click, not by render: the name is made visible here.
        from fleksrun.domain.text import visible

        question = t("forget.confirm", name=visible(preview["name"]), id=preview["citizen_id"])
        typer.confirm(question, abort=True, err=True)
    result = do_forget(db, str(preview["citizen_id"]))
    named = {Path(copy["path"]).resolve() for copy in result["copies"]}
    backups = sorted(p.name for p in st.db_path.parent.glob(f"{st.db_path.stem}*") if (p.suffix in (".bak",)
                     or "-backup-" in p.name) and p.resolve() not in named)
    result["backups_remaining"] = backups
    if as_json:
        print_json(result)
        return
    say(t("forget.done", id=result["citizen_id"], rows=result["rows"]))
    if result["unfinished"]:  # the erasure is committed; what is said is what remains to do
        warn(t(f"forget.unfinished_{result['unfinished']}", path=str(st.db_path)))
    if result["copies"]:
        warn(t("forget.copies", count=len(result["copies"]), files=", ".join(c["path"] for c in result["copies"])))
    if backups:
        warn(t("forget.backups", count=len(backups), files=", ".join(backups)))


def backup(
    path: Annotated[str | None, typer.Argument(
        metavar="[PATH]", help="Where to write the copy (a file or a folder); default beside the database.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy the database consistently, even while fleksrun runs in another window."""
    import datetime as _dt

    from fleksrun.cli.files import output_path
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.maintenance import backup as do_backup
    from fleksrun.services.maintenance import default_backup_path

    st = state()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # the CLI reads the clock, for the file name only
    if path == "-":  # a backup is a database file, never a stream of bytes on the screen
        from fleksrun.errors import InputError

        raise InputError("backup.not_stdout")
    if path is None:
        target = default_backup_path(st.db_path, stamp)
    else:  # a folder (one that exists, or a name ending in a slash) gets the dated name inside it
        target = output_path(path, default_backup_path(Path(st.db_path.name), stamp).name, st.db_path)
    result = do_backup(st.db(), target)
    if as_json:
        print_json(result)
    else:
        say(t("backup.done", path=result["path"], kib=max(1, round(result["bytes"] / 1024))))


def doctor(as_json: JsonOpt = False) -> None:
    """Check the database: integrity, links between rows, schema version, WAL, file permissions."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say, warn
    from fleksrun.services.maintenance import doctor as do_doctor

    result = do_doctor(state().db_path, today())
    if as_json:
        print_json(result)
    else:
        for check in result["checks"]:
            say(("✓ " if check["ok"] else "✗ ") + check["detail"], style=None if check["ok"] else "red")
        if not result["ok"]:
            warn(t("doctor.problems"))
        elif result.get("exists", True):
            say(t("doctor.all_ok"))
    if not result["ok"]:
        raise typer.Exit(1)


def journal_prune(
    before: Annotated[str | None, typer.Option(
        "--before", help="Changes made before this day; default: those older than the journal keeps.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Remove the earlier values of personal data (replaced CPR numbers, cleared notes …) from old changes."""
    from fleksrun.cli.options import date_arg
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say, warn
    from fleksrun.services.journal import JOURNAL_KEEP_MONTHS, default_prune_day, prunable, prune

    st = state()
    day = date_arg(before, default_prune_day(st.today))
    if day > st.today:
        raise InputError("journal.future", day=day)
    db = st.db()
    count = prunable(db, day)
    if count and not yes:
        typer.confirm(t("journal.confirm", count=count, day=day), abort=True, err=True)
    result = prune(db, day)
    if as_json:
        print_json({**result, "keep_months": JOURNAL_KEEP_MONTHS})
        return
    say(t("journal.pruned", count=result["commands"], day=day) if result["commands"] else t("journal.nothing", day=day))
    if result["unfinished"]:
        warn(t(f"forget.unfinished_{result['unfinished']}", path=str(st.db_path)))


def register(app: typer.Typer) -> None:
    for command in (history, undo, forget, backup, doctor):
        app.command()(command)
    # A new group each time: a run builds only the app it needs, and tests build several.
    journal_app = typer.Typer(help="The change journal's upkeep.", no_args_is_help=True, rich_markup_mode=None)
    journal_app.command("prune")(journal_prune)
    app.add_typer(journal_app, name="journal")
