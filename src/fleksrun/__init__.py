"""fleksrun — a working aid for a Danish employment consultant's company-based programmes."""

__version__ = "0.1.0"
