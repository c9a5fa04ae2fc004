"""The framework's floor: a bare Typer + Rich command that prints a small table.

Nothing of fleksrun is imported. `bench.py` runs it with the same Python as fleksrun, so the
difference between this and a fleksrun listing is what fleksrun itself costs (its imports, opening
and migrating the database, its queries), not what Python, Typer and Rich cost anyway.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table


def main(rows: int = typer.Option(5, help="How many rows to print.")) -> None:
    """Print a small table."""
    table = Table(title="Floor", title_justify="left", header_style="bold")
    for header in ("#", "Name", "Programme", "Phase", "Next"):
        table.add_column(header)
    for n in range(1, rows + 1):
        table.add_row(str(n), f"Citizen {n}", "ovebane", "afklaring", "31-03-2026")
    Console(highlight=False).print(table)


if __name__ == "__main__":
    typer.run(main)
