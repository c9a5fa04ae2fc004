"""Pure rules of the domain: dates, CPR numbers and the like; no clock, no database."""
