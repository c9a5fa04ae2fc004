#!/bin/sh
# Does `kill -9` during `fleksrun demo --size 100000` leave a half-made database? It must not:
# the demo writes everything in one transaction, so after the kill SQLite rolls the unfinished
# transaction back and the file holds the schema and no citizens.
#
#   sh benchmarks/kill_demo.sh [DB]        (env: PYTHON=python, DELAY=5 seconds, SIZE=100000)
#   PYTHONPATH=src sh benchmarks/kill_demo.sh    # this checkout instead of the installed fleksrun
set -eu
PYTHON=${PYTHON:-python}
DELAY=${DELAY:-5}
SIZE=${SIZE:-100000}
DB=${1:-$(mktemp -d)/kill-demo.db}
rm -f "$DB" "$DB-wal" "$DB-shm"

"$PYTHON" -m fleksrun --db "$DB" demo --size "$SIZE" >/dev/null 2>&1 &
PID=$!
sleep "$DELAY"
if ! kill -0 "$PID" 2>/dev/null; then
    echo "FAIL: the demo ended within $DELAY s; nothing was killed (try a smaller DELAY or a larger SIZE)"
    exit 1
fi
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
echo "killed the demo (pid $PID) after $DELAY s; left on disk:"
ls -l "$DB"*

RESULT=$(sqlite3 "$DB" 'PRAGMA integrity_check; SELECT COUNT(*) FROM citizens; SELECT COUNT(*) FROM commands;')
echo "integrity_check, citizens, commands: $(echo "$RESULT" | tr '\n' ' ')"
if [ "$RESULT" != "$(printf 'ok\n0\n0')" ]; then
    echo "FAIL: expected ok, 0 citizens and 0 journalled commands"
    exit 1
fi
# And fleksrun sees an empty database: a new demo is not refused for "has data".
"$PYTHON" -m fleksrun --db "$DB" demo --size 60 >/dev/null
echo "a new demo in the same file works: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM citizens') citizens"
echo "PASS: no half-made database"
