"""Language data lives in data files, once (issue 9, item 3).

Word lists belong in `warmonitor/data/words/KIND.toml` (or the lexicon), where each says where its
words come from and exists once; code that defines a collection of more than a handful of words
grows a second copy sooner or later (place prepositions once lived in three). This test reads the
package's source and fails on any such collection that is not allowed below for a stated reason,
and checks that every word file loads, names its source and is read by the package.
"""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import warmonitor
from warmonitor.data_files import load_word_table, load_words

PACKAGE = Path(warmonitor.__file__).parent
WORDS = PACKAGE / "data" / "words"

# More strings than this in one literal collection is a word list (a handful stays in code:
# ("the", "a", "an") reads better where it is used than in a file).
LIMIT = 6

# Modules that never read article text: their string collections are record fields, table
# columns, sort keys and routes, not words.
NOT_TEXT = {
    "serve/": "the web API and dashboard: field names and sort keys of stored records",
    "store/": "database tables, columns and indexes",
    "export/": "columns of exported records",
    "evaluate/": "field names of gold and predicted records",
    "cli/": "table columns of the commands",
    "usecases/": "the URL endings of feeds",
    "facttypes.py": "the fields each fact type declares",
}

# Collections in text-reading modules that are not language: (module, name) -> why.
ALLOWED = {
    ("clean/fixers.py", "_FTFY_OPTIONS"): "names of ftfy's repair options, not words",
    ("extract/summary.py", "CIVILIAN_VICTIMS"): "values of lexicon.toml's victim terms as facts carry them "
                                                "(docs/format.md's value set), not words read in text",
    ("extract/summary.py", "DISPLACEMENT_TERMS"): "values of lexicon.toml's displacement terms as facts carry them",
    ("fetch/watch.py", "_UNITS"): "the unit syntax of a polling interval option ('15m', '2 hours'), "
                                  "not words read in articles",
    ("nlp/lexicon.py", "LEXICON_KINDS"): "the kinds of lexicon.toml's terms (a file format's value set)",
    ("resolve/gazetteer.py", "KINDS"): "the kinds of the gazetteer index's rows (its file format's value set)",
    ("nlp/numbers.py", "_KIND_LISTS"): "section names of numbers.toml",
    ("nlp/tokens.py", "SENTENCE_ENDS"): "the punctuation that ends a sentence (the sentencizer's), not words",
    ("resolve/dates.py", "RECENT"): "what a vague count of each of the grammar's units means (a convention "
                                    "tests pin), keyed by the unit names the calendar arithmetic uses",
    ("resolve/dates.py", "_PRECISION"): "the precision of each of the grammar's units",
    ("resolve/actors.py", "TYPES"): "the actor types of actors.jsonl and of the records (docs/format.md's value set)",
    ("resolve/gazetteer.py", "COLUMNS"): "columns of the gazetteer index format",
    ("resolve/gazetteer.py", "CURATED_CODES"): "GeoNames feature codes of places_curated.jsonl's kinds "
                                               "(a file format's value set)",
    ("resolve/gazetteer.py", "_TABLE"): "letters that Unicode decomposition leaves alone, folded to ASCII",
}



def _strings(nodes) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def word_lists(source: str) -> list[tuple[int, str, list[str]]]:
    """(line, name, strings) of each literal collection of more than LIMIT strings in `source`: a
    set, list or tuple; a dict keyed by strings whose values are all constants (a word table, not a
    record being built); a "..." .split(). `name` is what it is assigned to, or the function it is in."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        strings: list[str] = []
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            strings = _strings(node.elts)
        elif isinstance(node, ast.Dict):
            if all(isinstance(v, ast.Constant) for v in node.values):
                strings = _strings(k for k in node.keys if k is not None)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
              and not node.args and isinstance(node.func.value, ast.Constant)
              and isinstance(node.func.value.value, str)):
            strings = node.func.value.value.split()
        if len(strings) <= LIMIT:
            continue
        name, up = None, node
        while up in parents and name is None:
            up = parents[up]
            if isinstance(up, ast.Assign):
                name = ast.unparse(up.targets[0])
            elif isinstance(up, ast.AnnAssign):
                name = ast.unparse(up.target)
            elif isinstance(up, ast.Expr) and isinstance(up.value, ast.Call) \
                    and isinstance(up.value.func, ast.Attribute):
                name = ast.unparse(up.value.func.value)  # TABLE.update({...}): the table's name
            elif isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{up.name}()"
        if name in ("__all__", "__slots__"):
            continue  # exported names and attribute slots
        found.append((node.lineno, name or "<module>", strings))
    return found


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path


def test_no_word_lists_in_code():
    offenders = []
    for module, path in modules():
        if any(module.startswith(prefix) for prefix in NOT_TEXT):
            continue
        for line, name, strings in word_lists(path.read_text(encoding="utf-8")):
            if (module, name) in ALLOWED:
                continue
            shown = ", ".join(strings[:8]) + (", ..." if len(strings) > 8 else "")
            offenders.append(f"{module}:{line} {name}: {len(strings)} strings ({shown})")
    assert not offenders, (
        "word lists in code: move each to src/warmonitor/data/words/KIND.toml (with a source line) and load it "
        "where its owning object is built, or allow it in tests/test_language_data.py with a reason:\n  "
        + "\n  ".join(offenders))


def test_allowances_still_match_something():
    """An allowance whose list has moved or gone would hide the next list of that name."""
    present = {(module, name) for module, path in modules()
               for _, name, _ in word_lists(path.read_text(encoding="utf-8"))}
    assert {key for key in ALLOWED if key not in present} == set()


@pytest.mark.parametrize("source, expected", [
    ('WORDS = frozenset(["a", "b", "c", "d", "e", "f", "g"])\n', [(1, "WORDS")]),
    ('WORDS = frozenset("a b c d e f g".split())\n', [(1, "WORDS")]),
    ('MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7}\n', [(1, "MONTHS")]),
    ('def f(x):\n    return x in ("a", "b", "c", "d", "e", "f", "g")\n', [(2, "f()")]),
    ('SHORT = ("a", "b", "c", "d", "e", "f")\n', []),
    ('def record(p):\n    return {"a": p.a, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1}\n', []),
    ('__all__ = ["a", "b", "c", "d", "e", "f", "g"]\n', []),
    ('T = {}\nT.update({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1})\n', [(2, "T")]),
])
def test_the_scan_finds_word_lists(source, expected):
    assert [(line, name) for line, name, _ in word_lists(source)] == expected


def word_files():
    return sorted(WORDS.glob("*.toml"))


def package_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for _, path in modules())


@pytest.mark.parametrize("path", word_files(), ids=lambda p: p.stem)
def test_every_word_file_loads_names_its_source_and_is_read(path):
    kind = path.stem
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    assert isinstance(table.get("source"), str) and table["source"].strip()
    keys = [key for key in table if key != "source"]
    assert keys, f"{path.name} holds no list"
    for key in keys:
        if isinstance(table[key], list):
            assert load_words(kind, key)  # validated: non-empty strings, no duplicates
        else:
            assert load_word_table(kind, key)
    source = package_source()
    assert re.search(rf"""["']{re.escape(kind)}["']|words/{re.escape(kind)}\.toml""", source), \
        f"no code reads data/words/{path.name}"
    unread = [key for key in keys if not re.search(rf"""["']{re.escape(key)}["']""", source)
              and key != "words"]  # "words" is load_words' default key
    assert not unread, f"{path.name}: no code reads {unread}"


def test_there_are_word_files():
    assert len(word_files()) >= 10
