"""`python -m warmonitor.evaluate GOLD_DIR PREDICTIONS.jsonl [--json] [--show-errors]`.

Prints what the reference scorer prints for the same arguments, so either can be used in scripts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from . import load_gold, read_records, score


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    positional = [a for a in argv if not a.startswith("--")]
    if len(positional) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    report = score(load_gold(Path(positional[0])), read_records(positional[1]))
    if "--show-errors" in argv:
        print("\n".join(report.errors))
    print(json.dumps(report.to_dict()) if "--json" in argv else report.to_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
