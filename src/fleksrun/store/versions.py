"""The names of fleksrun's migrations, in order, readable without importing sqlite-utils.

Opening a database compares these with the names applied to the file; only when one is pending is
``store.migrations`` (and sqlite-utils) imported. A test keeps this list equal to the migrations.
"""

MIGRATIONS = (
    "m001_initial",
    "m002_extra_days",
    "m003_phase_how",
    "m004_agenda_indexes",
    "m005_agenda_state",
    "m006_rule_views",
    "m007_settings",
    "m008_checklist_stays",
    "m009_closure_marks",
    "m010_calendar_sent",
    "m011_trust_db",
    "m012_written_files",
    "m013_unrecorded_days",
    "m014_name_keys",
    "m016_match_and_goals",
)
