"""How long a Tab takes: citizen names completed from a 1,000-citizen demo, against `fleksrun --version`
(the floor of starting fleksrun at all), measured in the same run. By hand, not in CI:

    python benchmarks/completion.py [--size 1000] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    fleksrun = str(Path(sys.executable).parent / "fleksrun")  # the installed command: its name picks the variable
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        subprocess.run([fleksrun, "--db", str(db), "demo", "--size", str(args.size)], check=True,
                       capture_output=True, env=env)
        tab = {**env, "FLEKSRUN_DB": str(db), "_FLEKSRUN_COMPLETE": "complete_bash",
               "COMP_WORDS": "fleksrun show me", "COMP_CWORD": "2"}
        times: dict[str, list[float]] = {"tab": [], "--version": []}
        for _ in range(args.runs + 1):  # the first round warms the caches and is dropped
            for name, argv, run_env in (("tab", [fleksrun], tab), ("--version", [fleksrun, "--version"], env)):
                start = time.perf_counter()
                subprocess.run(argv, env=run_env, capture_output=True, check=True)
                times[name].append(time.perf_counter() - start)
    tab_ms, floor_ms = (statistics.median(times[k][1:]) * 1000 for k in ("tab", "--version"))
    print(f"{args.size} citizens: a Tab {tab_ms:.0f} ms, `fleksrun --version` {floor_ms:.0f} ms "
          f"({tab_ms / floor_ms:.2f}x), median of {args.runs}")


if __name__ == "__main__":
    main()
