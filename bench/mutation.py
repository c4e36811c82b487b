"""Mutation score per module: how much of a module's behaviour its tests actually hold.

A suite can pass with many small, meaningful code changes in place (issue 14: 37 of 68 hand-made
changes went unnoticed). This script runs mutmut 3 over chosen modules, each against only the test
files that cover it, and prints one table: module, mutants, killed, survived, timeout/suspicious,
score. Read the survivors (``--show``), then pin each with a test, note it as equivalent
(docs/mutation-equivalents.md) or remove the dead code.

Why a separate scratch copy per module: mutmut reads its settings from ``pyproject.toml`` in the
folder it runs in and works in a ``mutants/`` folder beside it. Running each module in its own copy
lets the script pass that module's own settings (which file to mutate, which tests to run) without
touching the worktree, and leaves nothing behind (``--keep`` keeps the copy to browse it with
``mutmut results`` / ``mutmut show NAME``). mutmut 3 mutates code inside functions only; module-level
tables and the word lists under data/ are not mutated (their tests are in test_language_data.py).

    python bench/mutation.py                                  # every module in MODULES (slow)
    python bench/mutation.py src/warmonitor/nlp/numbers.py    # one module, its default tests
    python bench/mutation.py src/warmonitor/api.py --tests tests/test_api.py
    python bench/mutation.py src/warmonitor/clean/fixers.py --show   # also print each survivor's diff

Needs the test extra (``pip install -e '.[test]'``: mutmut is in it). Keep runs cheap: ``--jobs``
(default 1) is the number of mutants tested at once.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules that carry the product's promises (issue 14), each with the test files that cover it.
# Only these tests run for that module: mutmut then picks, per mutant, the tests that reached the
# mutated function.
MODULES: dict[str, tuple[str, ...]] = {
    "src/warmonitor/nlp/numbers.py": ("tests/test_numbers.py", "tests/test_numbers_table.py"),
    "src/warmonitor/extract/casualty.py": (
        "tests/test_extractors.py", "tests/test_traps.py", "tests/test_casualty_individuals.py"),
    "src/warmonitor/extract/quantities.py": ("tests/test_extractors.py", "tests/test_traps.py"),
    "src/warmonitor/extract/summary.py": ("tests/test_extractors.py", "tests/test_fact_types.py"),
    "src/warmonitor/resolve/dates.py": ("tests/test_dates.py", "tests/test_event_dates.py"),
    "src/warmonitor/resolve/places.py": ("tests/test_places.py",),
    "src/warmonitor/clean/__init__.py": ("tests/test_clean.py", "tests/test_clean_fixers.py"),
    "src/warmonitor/clean/fixers.py": ("tests/test_clean.py", "tests/test_clean_fixers.py"),
    "src/warmonitor/clean/offsets.py": ("tests/test_clean.py", "tests/test_clean_fixers.py"),
    "src/warmonitor/store/store.py": ("tests/test_store.py", "tests/test_reingest.py"),
    "src/warmonitor/serve/accounts.py": ("tests/test_accounts_hardening.py",),
    "src/warmonitor/serve/auth.py": ("tests/test_accounts_hardening.py",),
    "src/warmonitor/fetch/guard.py": ("tests/test_fetch_guard.py", "tests/test_fetch_limits.py"),
    "src/warmonitor/fetch/transport.py": ("tests/test_fetch_limits.py", "tests/test_fetch_guard.py"),
    "src/warmonitor/fetch/client.py": ("tests/test_fetch_limits.py", "tests/test_fetch.py"),
}

# mutmut's exit codes per mutant, grouped as the table shows them.
KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34, 37}
TIMEOUT = {-24, 24, 152, 255, 36}

# What mutmut gets in every scratch copy, on top of the per-module settings.
BASE_SETTINGS: dict[str, object] = {
    "source_paths": ["src"],
    "pytest_add_cli_args": ["-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"],
    "use_git_change_detection": False,
    "debug": False,
}


def toml_value(value: object) -> str:
    """A TOML literal for the few value kinds the settings use (json's strings are valid TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def without_mutmut_table(text: str) -> str:
    """pyproject.toml's text less its [tool.mutmut] table (the script writes its own)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"\s*\[", line):
            skipping = re.match(r"\s*\[tool\.mutmut\]\s*$", line) is not None
        if not skipping:
            out.append(line)
    return "".join(out)


def settings_for(module: str, tests: list[str]) -> dict[str, object]:
    """The project's [tool.mutmut] settings with this module and its tests put in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    settings = dict(BASE_SETTINGS)
    settings.update(project.get("tool", {}).get("mutmut", {}))
    settings["only_mutate"] = [module]
    settings["pytest_add_cli_args_test_selection"] = list(tests)
    return settings


def scratch_copy(module: str, tests: list[str]) -> Path:
    """A throw-away copy of src/, tests/ and pyproject.toml (with this module's settings)."""
    work = Path(tempfile.mkdtemp(prefix="warmonitor-mutation-"))
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc", "screenshots")
    shutil.copytree(ROOT / "src", work / "src", ignore=junk)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=junk)
    text = without_mutmut_table((ROOT / "pyproject.toml").read_text("utf-8")).rstrip("\n")
    table = "\n".join(f"{k} = {toml_value(v)}" for k, v in settings_for(module, tests).items())
    (work / "pyproject.toml").write_text(f"{text}\n\n[tool.mutmut]\n{table}\n", "utf-8")
    return work


def mutmut_env() -> dict[str, str]:
    """The environment for mutmut: no PYTHONPATH, so only the mutated copy of the package imports."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WARMONITOR_TEST_PG_URL")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def read_results(work: Path, module: str, only: list[str] | None = None) -> dict[str, int]:
    """Each tested mutant's exit code, from the .meta file mutmut writes beside the mutated module
    (mutants left untested, outside `only` or by an interrupted run, are left out)."""
    meta = work / "mutants" / (module + ".meta")
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
    return {name: code for name, code in codes.items() if code is not None
            and (not only or any(fnmatch.fnmatch(name, pattern) for pattern in only))}


def tally(codes: dict[str, int | None]) -> dict[str, int]:
    """Counts per outcome; score = killed / (mutants that some test ran), timeouts counted as killed
    (a mutant that hangs the tests is noticed) and suspicious ones as not killed."""
    counts = {"mutants": len(codes), "killed": 0, "survived": 0, "timeout": 0, "suspicious": 0,
              "no tests": 0, "skipped": 0}
    for code in codes.values():
        if code in KILLED:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
        elif code in TIMEOUT:
            counts["timeout"] += 1
        elif code in NO_TESTS:
            counts["no tests"] += 1
        elif code in SKIPPED:
            counts["skipped"] += 1
        else:
            counts["suspicious"] += 1
    return counts


def score(counts: dict[str, int]) -> float | None:
    """Killed (and timed out) share of the mutants that were tested; mutants no selected test
    reaches count as survivors, since nothing would notice them either."""
    tested = counts["mutants"] - counts["skipped"]
    if tested <= 0:
        return None
    return 100.0 * (counts["killed"] + counts["timeout"]) / tested


def survivors(codes: dict[str, int | None]) -> list[str]:
    """Mutants no test noticed (survived, or reached by no selected test), in a stable order."""
    return sorted(k for k, c in codes.items() if c in SURVIVED or c in NO_TESTS)


# One process for every diff (`mutmut show` starts one per mutant: seconds each on a busy machine).
_SHOW = """
import sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
for name in sys.argv[2:]:
    print(get_diff_for_mutant(name, path=sys.argv[1]).rstrip() + "\\n", flush=True)
"""


def print_diffs(work: Path, module: str, names: list[str]) -> None:
    """Print each named mutant's diff against the module (mutmut's own `show` where its internals moved)."""
    if not names:
        return
    proc = subprocess.run([sys.executable, "-c", _SHOW, module, *names], cwd=work, env=mutmut_env(),
                          capture_output=True, text=True)
    if proc.returncode == 0:
        print(proc.stdout, end="")
        return
    for name in names:
        print(subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, env=mutmut_env(),
                             capture_output=True, text=True).stdout.rstrip() + "\n")


def run_module(module: str, tests: list[str], jobs: int, show: bool, keep: bool,
               log: Path | None, only: list[str] | None = None) -> tuple[dict[str, int], float]:
    """Mutation-test one module in its own scratch copy; returns the counts and the seconds taken."""
    work = scratch_copy(module, tests)
    started = time.monotonic()
    try:
        cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *(only or [])]
        out = log if log is not None else work / "mutmut.log"
        with out.open("a", encoding="utf-8") as f:  # streamed, so a long run can be followed with tail -f
            f.write(f"### {module} ({' '.join(tests)})\n")
            f.flush()
            proc = subprocess.run(cmd, cwd=work, env=mutmut_env(), stdout=f, stderr=subprocess.STDOUT)
        codes = read_results(work, module, only)
        if proc.returncode != 0 and not codes:
            tail = out.read_text("utf-8", errors="replace")[-3000:]
            raise SystemExit(f"mutmut failed on {module} (exit {proc.returncode}):\n{tail}")
        if show:
            print_diffs(work, module, survivors(codes))
        return tally(codes), time.monotonic() - started
    finally:
        if keep:
            print(f"kept {work} (cd there: python -m mutmut results / show NAME / browse)",
                  file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def table(rows: list[tuple[str, dict[str, int], float]]) -> str:
    """The one table the script prints."""
    head = ("module", "mutants", "killed", "survived", "no tests", "timeout/susp.", "score %", "s")
    lines = [head]
    for module, c, seconds in rows:
        s = score(c)
        lines.append((module.removeprefix("src/warmonitor/"), str(c["mutants"]), str(c["killed"]),
                      str(c["survived"]), str(c["no tests"]), f"{c['timeout']}/{c['suspicious']}",
                      "-" if s is None else f"{s:.1f}", f"{seconds:.0f}"))
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))) for row in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: every module in MODULES)")
    parser.add_argument("--tests", nargs="+", help="test files to use instead of the module's own")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--only", nargs="+", metavar="GLOB",
                        help="test only the mutants whose names match (e.g. 'warmonitor.nlp.numbers.x_*'"
                             " or '*NumberParser*_kind*'): a cheaper, partial score")
    parser.add_argument("--show", action="store_true", help="print the diff of each survivor")
    parser.add_argument("--keep", action="store_true", help="keep each scratch copy (path on stderr)")
    parser.add_argument("--log", type=Path, help="append mutmut's own output to this file as it runs")
    parser.add_argument("--list", action="store_true", help="list the default modules and tests")
    args = parser.parse_args(argv)
    if args.list:
        for module, tests in MODULES.items():
            print(module, " ".join(tests))
        return 0
    modules = [str(Path(m)) for m in args.modules] or list(MODULES)
    rows = []
    for module in modules:
        if not (ROOT / module).is_file():
            parser.error(f"{module}: no such file (give it relative to the repository root)")
        tests = args.tests or list(MODULES.get(module, ()))
        if not tests:
            parser.error(f"{module} has no default tests: pass --tests FILE ...")
        counts, seconds = run_module(module, tests, args.jobs, args.show, args.keep, args.log, args.only)
        rows.append((module, counts, seconds))
        print(f"{module}: done in {seconds:.0f} s", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
