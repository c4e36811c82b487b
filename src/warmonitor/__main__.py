"""`python -m warmonitor` is the `warmonitor` command."""
from .cli import main

main()
