#!/usr/bin/env bash
# A consultant's first week with fleksrun, from an empty database. CI runs this script (.ci/run);
# the README shows its output under "A first week".
set -euo pipefail

# A database of its own, so the script never touches your real data; a fixed Monday as today
# (week 14, 2026); English output 100 columns wide whatever the terminal, so the output is always
# the one the README shows.
export FLEKSRUN_DB="$(mktemp -d)/first-week.db"
export FLEKSRUN_TODAY=2026-03-30
export FLEKSRUN_LANG=en COLUMNS=100

# Monday: the companies where citizens will practise (--employees feeds the capacity warning).
fleksrun company add "Bageriet" --employees 12 --contact "Lone" --phone 86123456
fleksrun company add "Byg og Bo" --employees 40 --contact "Karim"

# Three new citizens, one per programme (start: today unless --start).
fleksrun enroll "Mette Hansen" --program ovebane
fleksrun enroll "Jonas Berg" --program jobgaranti
fleksrun enroll "Sara Lund" --program rampen

# Mette's practice track (øvebane): 13 weeks, Tuesday and Thursday, 4 hours a day.
# Public holidays are not booked; the output names each one the pattern met.
fleksrun schedule mette --company Bageriet --start 31-03-2026 --weeks 13 --days tue,thu --hours 4

# The first conversations: a visit at the company with Mette, a phone call with Sara.
# fleksrun works out the next contact from the programme's cadence.
fleksrun followup mette --kind visit --with both --note "Start at Bageriet agreed with Lone"
fleksrun followup sara --kind phone

# Jonas's step 1 (trin 1): tick the checklist as it gets done.
for item in visitation cv job-goal jobformidler; do
    fleksrun mark jonas "$item"
done
fleksrun mark sara contact_person

# Jonas's payslip for March: 28.5 ordinary hours (a recorded month replaces his day-by-day hours).
fleksrun hours jonas --month 2026-03 --ordinary 28.5 --source payslip

# Tuesday evening: Mette attended her first day. The rest of the week is seen from then on: a
# run with an earlier today would leave out what was recorded after it.
export FLEKSRUN_TODAY=2026-03-31
fleksrun attend mette

# Who may move on to the next phase, and why (not)?
fleksrun check

# The week's agenda, and the key figures from New Year to the end of this week.
fleksrun due --week "uge 14"
fleksrun report --to 05-04-2026
