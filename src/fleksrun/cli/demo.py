"""The demo command: a database of fictive citizens for a first look and for benchmarks."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, today


def demo(
    size: Annotated[int, typer.Option(min=1, max=1_000_000, help="How many fictive citizens.")] = 60,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Fill an empty database with fictive citizens in every programme and phase (no real CPR numbers)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import err, print_json, say
    from fleksrun.services.demo import has_data, make_demo

    db = state().db()
    if has_data(db):
        # Not an error: the README's first command runs `demo` before `due` on any machine.
        if as_json:
            print_json({"today": today(), "created": False, "db": str(state().db_path)})
        else:
            say(t("demo.has_data", db=str(state().db_path)))
        return
    if as_json or size < 2_000:
        counts = make_demo(db, today(), size=size, seed=seed)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        def step(done: int, total: int) -> None:
            # Once the last citizen is written, the indexes are built and the rows checked: seconds
            # at 100,000 citizens, which a full bar alone would not explain.
            bar.update(task, completed=done, description=t("demo.finishing" if done >= total else "demo.progress"))

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err(), transient=True) as bar:
            task = bar.add_task(t("demo.progress"), total=size)
            counts = make_demo(db, today(), size=size, seed=seed, progress=step)
    if as_json:
        print_json({"today": today(), "created": True, "db": str(state().db_path), **counts})
    else:
        say(t("demo.done", citizens=counts["citizens"], companies=counts["companies"], days=counts["days"],
              followups=counts["followups"], db=str(state().db_path)))


def register(app: typer.Typer) -> None:
    app.command()(demo)
