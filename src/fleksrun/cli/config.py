"""The file's settings: config."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, today


def config(
    name: Annotated[str | None, typer.Argument(metavar="[SETTING]",
                                               help="The setting to show or change: days-off.")] = None,
    value: Annotated[str | None, typer.Argument(
        metavar="[VALUE]", help="The new value, e.g. grundlovsdag,juleaftensdag, all or none.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the settings of the file, or change one, e.g. which customary days are days off."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.settings import list_settings, set_setting

    db = state().db()
    if name is not None and value is not None:
        result = set_setting(db, name, value)
        if as_json:
            print_json({**result, "today": today()})
        elif result["value"]:
            say(t("settings.days_off_set", names=", ".join(result["names"])))
        else:
            say(t("settings.days_off_cleared"))
        return
    items = list_settings(db, name)
    if as_json:
        print_json({"today": today(), "items": items})
        return
    for item in items:
        say(t("settings.days_off", names=", ".join(item["names"]) or t("settings.none")))


def register(app: typer.Typer) -> None:
    app.command()(config)
