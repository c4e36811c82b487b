"""`python -m warmonitor.cli` still runs the command, as when it was one module (`python -m warmonitor` too)."""
from warmonitor.cli import main

main()
