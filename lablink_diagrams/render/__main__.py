"""python -m lablink_diagrams.render  → the doctor report (exit 1 if a renderer is missing)."""
import sys

from .doctor import doctor, format_report

checks = doctor()
print(format_report(checks))
sys.exit(0 if all(c.found for c in checks) else 1)
