"""How fast is fleksrun, at 60 to 100,000 citizens, against the floors a user would compare it with?

Run by hand (not in CI, not a test):

    python benchmarks/bench.py                      # 60, 1,000, 10,000 and 100,000 citizens
    python benchmarks/bench.py --sizes 60 --runs 1  # a sanity check, well under a minute
    PYTHONPATH=src python benchmarks/bench.py       # benchmark this checkout instead of the installed one

Per size it builds (once; cached in benchmarks/out/ by size and fleksrun version) a demo database with
`fleksrun demo --size N`, then runs each command as a child process: a warm-up of each, then --runs
rounds of one run of every command (so the floors and the commands share the machine's ups and downs).
It reports the median wall time and the peak memory (max RSS of the child, from os.wait4) and the
ratios to two floors measured in the same run: a bare Typer + Rich command (floor_app.py) and the sqlite3
shell running report_floor.sql. Commands this fleksrun does not have yet show as "n/a".

Standard library only (plus what fleksrun itself depends on). Unix only: it needs os.wait4.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (60, 1_000, 10_000, 100_000)
MB = 1_000_000  # decimal megabytes: the stricter reading of "under 100 MB"

# Commands whose ratio is taken to the framework floor, and the one taken to the sqlite3 floor.
FRAMEWORK_RATIO = ("--help", "citizens", "due", "check")
SQLITE_RATIO = ("report",)
# The commands measured for a --baseline version too, as "before: NAME".
COMPARED = ("--help", "citizens", "due", "check", "report", "due --json", "check --json", "citizens --json")


@dataclass
class Command:
    name: str
    argv: list[str]            # the full command line
    copy_db: bool = False      # a writing command runs against a fresh copy of the database each time
    stdin: Path | None = None  # a file fed on stdin (the sqlite3 floor reads its SQL this way)


@dataclass
class Result:
    name: str
    status: str = "ok"         # ok | n/a | error | timeout
    detail: str = ""
    times: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    warmup_s: float | None = None

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.peaks_mb) if self.peaks_mb else None


@dataclass
class Run:
    code: int
    wall_s: float
    peak_mb: float
    stderr: str
    timed_out: bool


# The child is started by this small helper, not by the benchmark itself: on Linux a child's max RSS
# can never read below the size of the process that spawned it (the spawner's address space is counted
# until exec), and a bare `python -I -S` is about half the size of this script. The helper also takes
# the wall time itself, from spawn to exit, so its own start-up is not counted.
SPAWNER = """
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result, "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {wall!r} {usage.ru_maxrss}")
"""


def run_child(argv: list[str], env: dict[str, str], stdin: Path | None, timeout: float) -> Run:
    """Run one child; its wall time and its own peak RSS (from wait4: the child's rusage, not ours)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".txt") as result:
        fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
        try:
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", SPAWNER, result.name, *argv], stdin=fin,
                                    stdout=out, stderr=err, env=env, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the helper and the child it started
                proc.wait()
                return Run(-9, timeout, 0.0, "", True)
        finally:
            if stdin:
                fin.close()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        fields = result.read().split()
        if len(fields) != 3:
            return Run(proc.returncode or 1, 0.0, 0.0, stderr or "the spawner failed", False)
        # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
        peak = int(fields[2]) * (1 if sys.platform == "darwin" else 1024) / MB
        return Run(int(fields[0]), float(fields[1]), peak, stderr, False)


def once(cmd: Command, result: Result, env: dict[str, str], db: Path | None, args: argparse.Namespace) -> Run | None:
    """One run of ``cmd``; None (with the reason in ``result``) when it failed or is not there."""
    if cmd.copy_db and db is not None:
        copy_database(db, work_copy(db))
    run = run_child(cmd.argv, env, cmd.stdin, args.timeout)
    if run.timed_out:
        result.status, result.detail = "timeout", f"killed after {args.timeout:.0f} s"
        return None
    if run.code == 2 and "No such command" in run.stderr:
        result.status, result.detail = "n/a", "not available"
        return None
    if run.code != 0:
        first = run.stderr.strip().splitlines()[:1]
        result.status, result.detail = "error", f"exit {run.code}: {first[0] if first else ''}"[:120]
        return None
    return run


def measure(cmds: list[Command], env: dict[str, str], db: Path | None, args: argparse.Namespace) -> dict[str, Result]:
    """A warm-up of every command, then --runs rounds of one run of each (fewer for a command whose
    one run alone eats the time budget). Rounds, not one command's runs in a row: the floors and the
    commands then meet the same moods of a shared machine, and the ratios between them hold."""
    results = {cmd.name: Result(cmd.name) for cmd in cmds}
    planned: dict[str, int] = {}
    for cmd in cmds:
        warm = once(cmd, results[cmd.name], env, db, args)
        if warm is not None:
            results[cmd.name].warmup_s = warm.wall_s
            planned[cmd.name] = max(1, min(args.runs, int(args.budget // max(warm.wall_s, 1e-3))))
    for round_no in range(args.runs):
        for cmd in cmds:
            if planned.get(cmd.name, 0) <= round_no:
                continue
            result = results[cmd.name]
            run = once(cmd, result, env, db, args)
            if run is None:
                result.times.clear()
                result.peaks_mb.clear()
                planned[cmd.name] = 0
                continue
            result.times.append(run.wall_s)
            result.peaks_mb.append(run.peak_mb)
    for name, runs in planned.items():
        if 0 < runs < args.runs:
            results[name].detail = f"{runs} run(s): one takes {results[name].warmup_s:.1f} s (--budget {args.budget:.0f})"
    return results


def work_copy(db: Path) -> Path:
    return db.with_name("work-copy.db")


def copy_database(source: Path, target: Path) -> None:
    """A copy of the database and its WAL, on disk before it is used: else the first write's
    checkpoint would pay (in the timed run) for flushing the whole copy the OS still holds."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
            with open(f"{target}{suffix}", "rb+") as copy:
                os.fsync(copy.fileno())


def fleksrun_version(base: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*base, "--version"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"cannot run {' '.join(base)}: {done.stderr.strip()}")
    return done.stdout.split()[-1]


def migrations_of(db: Path) -> list[str]:
    """The schema migrations applied to a database file."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def current_schema(base: list[str], env: dict[str, str]) -> list[str]:
    """The migrations the fleksrun under test applies to a new database."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "schema.db"
        # A first command makes the file (a reading one makes none): `config` writes no data.
        subprocess.run([*base, "--db", str(fresh), "config"], capture_output=True, env=env)
        return migrations_of(fresh)


def build_database(base: list[str], env: dict[str, str], size: int, version: str, out: Path,
                   rebuild: bool, schema: list[str]) -> dict:
    """The demo database for ``size`` (cached by size and version, and remade when its schema is not
    the one this fleksrun makes: a migration on the first timed run would be timed), with the day it
    was built for."""
    db = out / f"fleksrun-{version}-{size}.db"
    meta_path = db.with_suffix(".json")
    if not rebuild and db.exists() and meta_path.exists() and migrations_of(db) == schema:
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        return meta
    for path in (db, meta_path, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    building = out / f"building-{size}.db"
    copy_database(out / "nonexistent", building)  # clears a half-built file and its -wal/-shm
    print(f"building {size:,} citizens ...", end=" ", flush=True)
    today = _dt.date.today()
    start = time.perf_counter()
    done = subprocess.run([*base, "--db", str(building), "--today", today.isoformat(), "demo", "--size", str(size),
                           "--json"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"demo --size {size} failed: {done.stderr.strip() or done.stdout.strip()}")
    print(f"{seconds:.1f} s")
    counts = json.loads(done.stdout)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{building}{suffix}").exists():
            os.replace(f"{building}{suffix}", f"{db}{suffix}")
    meta = {"db": str(db), "size": size, "version": version, "today": today.isoformat(),
            "build_s": round(seconds, 2), "db_mb": round(db.stat().st_size / MB, 1),
            "counts": {k: v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)}}
    meta_path.write_text(json.dumps(meta, indent=2))
    meta["cached"] = False
    return meta


def extra_modules(env: dict[str, str]) -> list[str]:
    """Modules that sqlite-utils imports if they are installed, though fleksrun does not need them."""
    probe = "import importlib.util as u; print(*[m for m in ('numpy', 'pandas') if u.find_spec(m)])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    return done.stdout.split()


def unbooked_citizen(db: Path) -> int:
    """An active citizen with no placement yet, so `schedule` books rather than refuses a double booking."""
    import sqlite3 as sqlite

    with sqlite.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("""SELECT e.citizen_id FROM enrollments e WHERE e.status = 'active'
                              AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.enrollment_id = e.id)
                              ORDER BY e.citizen_id LIMIT 1""").fetchone()
    return row[0] if row else 1


def commands(base: list[str], python: str, sqlite3: str | None, db: Path, today: _dt.date) -> list[Command]:
    """What is measured at one size. Every fleksrun command gets --db; "today" comes from the env."""
    period_from = (today.replace(day=1) - _dt.timedelta(days=335)).replace(day=1)  # the last 12 months
    start = today + _dt.timedelta(days=7 - today.weekday())  # next Monday
    copy = work_copy(db)
    fr = [*base, "--db", str(db)]
    free = unbooked_citizen(db)
    out = [
        Command("--help", [*fr, "--help"]),
        Command("citizens", [*fr, "citizens"]),
        Command("due", [*fr, "due"]),
        Command("check", [*fr, "check"]),
        Command("due --json", [*fr, "due", "--json"]),
        Command("check --json", [*fr, "check", "--json"]),
        Command("citizens --json", [*fr, "citizens", "--json"]),
        Command("report", [*fr, "report", "--from", period_from.isoformat(), "--to", today.isoformat()]),
        Command("schedule", [*base, "--db", str(copy), "schedule", str(free), "--company", "1", "--start",
                             start.isoformat(), "--weeks", "13", "--days", "tue,thu", "--dry-run"], copy_db=True),
        Command("followup", [*base, "--db", str(copy), "followup", str(free)], copy_db=True),
        Command("floor: typer+rich", [python, str(HERE / "floor_app.py")]),
    ]
    if sqlite3:
        out.append(Command("floor: sqlite3", [
            sqlite3, "-readonly", "-batch", str(db),
            "-cmd", f".parameter set :from \"'{period_from.isoformat()}'\"",
            "-cmd", f".parameter set :to \"'{today.isoformat()}'\"",
        ], stdin=HERE / "report_floor.sql"))
    return out


def ratio(results: dict[str, Result], name: str, floor: str) -> float | None:
    a, b = results.get(name), results.get(floor)
    if a is None or b is None or a.median_s is None or b.median_s is None or b.median_s == 0:
        return None
    return a.median_s / b.median_s


def targets(size: int, results: dict[str, Result]) -> list[dict]:
    """The issue's targets that apply at this size, each with pass, fail or n/a."""
    checks = []

    def add(text: str, value: float | None, limit: float, unit: str) -> None:
        status = "n/a" if value is None else ("pass" if value <= limit else "fail")
        checks.append({"target": text, "value": None if value is None else round(value, 3), "limit": limit,
                       "unit": unit, "status": status})

    if size == 60:
        add("due within 1.3x the framework floor", ratio(results, "due", "floor: typer+rich"), 1.3, "x")
    if size == 100_000:
        due = results.get("due")
        add("due under 0.5 s", due.median_s if due else None, 0.5, "s")
        add("report within 3x the sqlite3 floor", ratio(results, "report", "floor: sqlite3"), 3.0, "x")
    measured = [r for r in results.values()
                if r.peak_mb is not None and not r.name.startswith(("floor", "before:"))]
    worst = max(measured, key=lambda r: r.peak_mb, default=None)
    add(f"peak memory under 100 MB (worst: {worst.name if worst else '-'})",
        worst.peak_mb if worst else None, 100.0, "MB")
    return checks


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_size(meta: dict, results: dict[str, Result], checks: list[dict]) -> None:
    cached = "cached" if meta.get("cached") else "built"
    print(f"\n== {meta['size']:,} citizens  (db {meta['db_mb']} MB, {cached}; demo took {meta['build_s']} s; "
          f"today {meta['today']}) ==")
    print(f"{'command':<18} {'median s':>9} {'peak MB':>8}  {'ratio':<22} note")
    for name, r in results.items():
        if name in FRAMEWORK_RATIO:
            x = ratio(results, name, "floor: typer+rich")
            rtext = "" if x is None else f"{x:.2f}x framework floor"
        elif name in SQLITE_RATIO:
            x = ratio(results, name, "floor: sqlite3")
            rtext = "" if x is None else f"{x:.2f}x sqlite3 floor"
        else:
            rtext = ""
        if r.status == "ok":
            print(f"{name:<18} {fmt(r.median_s, '9.3f')} {fmt(r.peak_mb, '8.1f')}  {rtext:<22} {r.detail}")
        else:
            note = "n/a (not available)" if r.status == "n/a" else f"{r.status}: {r.detail}"
            print(f"{name:<18} {'-':>9} {'-':>8}  {'':<22} {note}")
    for c in checks:
        value = "-" if c["value"] is None else f"{c['value']}{' ' if c['unit'] != 'x' else ''}{c['unit']}"
        print(f"  target: {c['target']:<58} {value:>10}  {c['status'].upper()}")


def print_comparison(results: dict[str, Result]) -> None:
    """This version against the baseline, measured in the same rounds: the ratio of their medians."""
    print(f"\n{'command':<18} {'before s':>9} {'after s':>9} {'after/before':>13} {'before MB':>10} {'after MB':>9}")
    for name in COMPARED:
        new, was = results.get(name), results.get(f"before: {name}")
        if new is None or was is None:
            continue
        x = None if new.median_s is None or not was.median_s else new.median_s / was.median_s
        print(f"{name:<18} {fmt(was.median_s, '9.3f')} {fmt(new.median_s, '9.3f')} {fmt(x, '12.2f')}x "
              f"{fmt(was.peak_mb, '10.1f')} {fmt(new.peak_mb, '9.1f')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of citizens (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="rounds of one measured run of every command, after one warm-up (default 5)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds one command may take at one size; a slower command gets fewer runs (default 120)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before one run is killed (default 300)")
    parser.add_argument("--fleksrun", default=None,
                        help="how to start fleksrun (default: this Python's `-m fleksrun`; e.g. --fleksrun fleksrun)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where built databases are cached")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again even if cached")
    parser.add_argument("--json", type=Path, dest="json_file", help="also save the results to this JSON file")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another version's src folder (e.g. a git worktree's): its commands run in the same "
                             "rounds, on a database it built, as 'before: NAME', and the ratios are printed")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    base = shlex.split(args.fleksrun) if args.fleksrun else [sys.executable, "-m", "fleksrun"]
    old = None
    if args.baseline is not None:  # both started alike, each with its own src folder first on the path
        base = ["env", f"PYTHONPATH={HERE.parent / 'src'}", sys.executable, "-m", "fleksrun"]
        old = ["env", f"PYTHONPATH={args.baseline.resolve()}", sys.executable, "-m", "fleksrun"]
    sqlite3 = shutil.which("sqlite3")
    env = {**os.environ, "FLEKSRUN_LANG": "en", "COLUMNS": "100", "TERM": "dumb"}
    env.pop("FLEKSRUN_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps compiled modules: so do the runs here
    version = fleksrun_version(base, env)
    schema = current_schema(base, env)
    args.out.mkdir(parents=True, exist_ok=True)
    # The smallest peak a child can show here (see SPAWNER): a reading near it means "at most this".
    true = shutil.which("true")
    rss_floor = run_child([true], env, None, 30).peak_mb if true else None
    print(f"fleksrun {version} via `{' '.join(base)}`; Python {platform.python_version()}; {platform.platform()}; "
          f"sqlite3 shell: {sqlite3 or 'not found (no sqlite3 floor)'}; {args.runs} runs after 1 warm-up; "
          f"a child's peak memory reads at least {fmt(rss_floor, '.1f')} MB here (the spawner's own size)")
    extras = extra_modules(env)
    if extras:
        print(f"note: this Python has {' and '.join(extras)}; sqlite-utils imports numpy and pandas when present, "
              f"which costs every database command time and memory that a fresh install of fleksrun does not pay; "
              f"run the bench in a clean virtual environment for the figures a user sees")
    report = {"fleksrun": version, "extra_modules": extras, "command": base, "python": platform.python_version(),
              "platform": platform.platform(), "runs": args.runs,
              "rss_floor_mb": rss_floor, "sizes": {}}
    failed = False
    for size in sizes:
        meta = build_database(base, env, size, version, args.out, args.rebuild, schema)
        db = Path(meta["db"])
        today = _dt.date.fromisoformat(meta["today"])
        run_env = {**env, "FLEKSRUN_TODAY": meta["today"]}  # the day the demo was built around
        # Bring the cached file to this fleksrun's schema once, outside the measurements.
        subprocess.run([*base, "--db", str(db), "company", "list"], capture_output=True, env=run_env)
        cmds = commands(base, sys.executable, sqlite3, db, today)
        if old is not None:
            old_meta = build_database(old, env, size, version, args.out / "baseline", args.rebuild,
                                      current_schema(old, env))
            old_db = Path(old_meta["db"])
            subprocess.run([*old, "--db", str(old_db), "company", "list"], capture_output=True, env=run_env)
            skip = len(base) + 2  # the command line after "--db DB"
            cmds += [Command(f"before: {c.name}", [*old, "--db", str(old_db), *c.argv[skip:]])
                     for c in cmds if c.name in COMPARED]
        results = measure(cmds, run_env, db, args)
        work = work_copy(db)
        copy_database(args.out / "nonexistent", work)  # removes the work copy
        checks = targets(size, results)
        failed |= any(c["status"] == "fail" for c in checks)
        print_size(meta, results, checks)
        if old is not None:
            print_comparison(results)
        report["sizes"][str(size)] = {
            "database": meta,
            "commands": {name: {**asdict(r), "median_s": r.median_s, "peak_mb": r.peak_mb} for name, r in results.items()},
            "targets": checks,
        }
    if args.json_file:
        args.json_file.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nsaved {args.json_file}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
