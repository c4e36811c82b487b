"""Loading the text fixers from `warmonitor/data/fixers.toml` and finding what each one would change.

A fixer is data: an `id`, a `step` (entities, mojibake, spaces, quotes), a Python regex `pattern`, a
`note` saying what it repairs and why (`non_ascii = true` where the pattern only matches non-ASCII
characters, so that pure-ASCII text skips it), and either a `replacement` (a `re` template; with
`unescape = true` the expanded template is passed through `html.unescape`) or a `kind` naming one of
the steps that need code: `html_unescape` (each match is unescaped), `ftfy` (each match marks
a word that may be mojibake; the words are handed to `ftfy.fix_text` with the entry's `options`) and
`join_word` (the pattern's two groups are the halves of a word split at a line break, "in- jured":
the text between them is removed when the halves make a word of the entry's `words` list, so that
"anti- aircraft" and "two- or three-day" stay as they are).
Fixers run in file order. Nothing here is loaded at import time.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warmonitor.data_files import DataFileError, check_entry, entries, load_toml, load_word_lines

from .offsets import Edit

__all__ = ["Fixer", "load_fixers", "find_edits", "FIXERS_FILE", "KINDS", "STEPS"]

FIXERS_FILE = "fixers.toml"
KINDS = ("regex", "html_unescape", "ftfy", "join_word")
STEPS = ("entities", "mojibake", "spaces", "quotes")
_FTFY_OPTIONS = frozenset({
    "unescape_html", "remove_terminal_escapes", "fix_encoding", "restore_byte_a0",
    "replace_lossy_sequences", "decode_inconsistent_utf8", "fix_c1_controls", "fix_latin_ligatures",
    "fix_character_width", "uncurl_quotes", "fix_line_breaks", "fix_surrogates",
    "remove_control_chars", "normalization", "max_decode_length",
})


@dataclass(frozen=True)
class Fixer:
    """One compiled entry of `fixers.toml`."""

    id: str
    step: str
    kind: str
    pattern: re.Pattern[str]
    note: str
    replacement: str | None = None
    unescape: bool = False
    non_ascii: bool = False
    # A template like '\1' split into literal pieces and group references, so that text a group
    # copies unchanged is not counted as changed; None where that split does not apply.
    split: tuple[tuple[str, ...], tuple[int | str, ...]] | None = None
    options: dict[str, Any] = field(default_factory=dict)
    examples: tuple[tuple[str, str], ...] = ()
    words: frozenset[str] = field(default=frozenset(), repr=False)  # join_word: the words the halves must make


def load_fixers(path: Path | None = None) -> list[Fixer]:
    """Load and check the fixers (the shipped `fixers.toml`, or the file at `path`)."""
    table = load_toml(FIXERS_FILE, path)
    where = str(path or FIXERS_FILE)
    items = entries(table, "fixer", {"id": str, "step": str, "pattern": str, "note": str}, where)
    fixers: list[Fixer] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        fixers.append(_compile(item, f"{where} [[fixer]] #{number} ({item['id']})", seen))
    return fixers


def _compile(item: dict[str, Any], where: str, seen: set[str]) -> Fixer:
    if item["id"] in seen:
        raise DataFileError(f"{where}: duplicate fixer id")
    seen.add(item["id"])
    kind = item.get("kind", "regex")
    if kind not in KINDS:
        raise DataFileError(f"{where}: kind should be one of {', '.join(KINDS)}")
    if item["step"] not in STEPS:
        raise DataFileError(f"{where}: step should be one of {', '.join(STEPS)}")
    if kind == "regex":
        check_entry(item, {"replacement": str}, where)
    elif "replacement" in item:
        raise DataFileError(f"{where}: a '{kind}' fixer takes no replacement")
    check_entry(item, {name: bool for name in ("unescape", "non_ascii") if name in item}, where)
    options = item.get("options", {})
    if kind == "ftfy":
        check_entry(item, {"options": dict} if "options" in item else {}, where)
        unknown = set(options) - _FTFY_OPTIONS
        if unknown:
            raise DataFileError(f"{where}: unknown ftfy option(s) {', '.join(sorted(unknown))}")
    elif options:
        raise DataFileError(f"{where}: only an ftfy fixer takes options")
    words: frozenset[str] = frozenset()
    if kind == "join_word":
        check_entry(item, {"words": str}, where)
        words = frozenset(load_word_lines(item["words"]))
    elif "words" in item:
        raise DataFileError(f"{where}: only a join_word fixer takes words")
    try:
        pattern = re.compile(item["pattern"])
    except re.error as exc:
        raise DataFileError(f"{where}: pattern is not a valid regex: {exc}") from exc
    if kind == "join_word" and pattern.groups != 2:
        raise DataFileError(f"{where}: a join_word pattern has two groups, the halves of the word")
    examples = item.get("examples", [])
    if not isinstance(examples, list) or not all(
            isinstance(ex, list) and len(ex) == 2 and all(isinstance(s, str) for s in ex) for ex in examples):
        raise DataFileError(f"{where}: examples should be a list of [before, after] string pairs")
    if kind == "regex":
        try:
            for group in re.findall(r"\\(\d+)|\\g<(\w+)>", item["replacement"]):
                ref = group[0] or group[1]
                if (ref.isdigit() and int(ref) > pattern.groups) or (
                        not ref.isdigit() and ref not in pattern.groupindex):
                    raise re.error(f"invalid group reference {ref}")
            # the rest of the template must parse (no stray escapes): try it on an empty match
            re.compile("").sub(re.sub(r"\\(?:\d+|g<\w+>)", "", item["replacement"]), "")
        except (re.error, IndexError) as exc:
            raise DataFileError(f"{where}: replacement does not fit the pattern: {exc}") from exc
    split = None
    if kind == "regex" and not item.get("unescape", False):
        split = _split_template(item["replacement"])
    return Fixer(
        split=split,
        id=item["id"], step=item["step"], kind=kind, pattern=pattern, note=item["note"],
        replacement=item.get("replacement"), unescape=item.get("unescape", False),
        non_ascii=item.get("non_ascii", False),
        options=dict(options), examples=tuple((a, b) for a, b in examples), words=words,
    )


_GROUP_REF = re.compile(r"\\(?:([1-9][0-9]?)|g<(\w+)>)")


def _split_template(template: str) -> tuple[tuple[str, ...], tuple[int | str, ...]] | None:
    """Literal pieces and group references of `template`, or None if it has none or repeats one."""
    if "\\\\" in template:
        return None  # an escaped backslash: keep it simple, no split
    lits: list[str] = []
    refs: list[int | str] = []
    pos = 0
    for m in _GROUP_REF.finditer(template):
        lits.append(template[pos:m.start()])
        ref = m.group(1) or m.group(2)
        refs.append(int(ref) if ref.isdigit() else ref)
        pos = m.end()
    lits.append(template[pos:])
    if not refs or len(set(refs)) < len(refs):
        return None
    return tuple(lits), tuple(refs)


def ftfy_config(fixer: Fixer) -> Any:
    """The `ftfy.TextFixerConfig` for an ftfy fixer (`normalization = "none"` means no normalization)."""
    import ftfy

    options = dict(fixer.options)
    if options.get("normalization") == "none":
        options["normalization"] = None
    return ftfy.TextFixerConfig(explain=False, **options)


def find_edits(fixer: Fixer, text: str, config: Any = None) -> list[Edit]:
    """The sorted, non-overlapping edits `fixer` makes to `text` (none where nothing would change)."""
    if (fixer.non_ascii or fixer.kind == "ftfy") and text.isascii():
        return []  # ftfy never runs on pure-ASCII text
    if fixer.kind == "ftfy":
        return _ftfy_edits(fixer, text, config)
    if fixer.kind == "join_word":
        return [Edit(m.end(1), m.start(2), "", fixer.id, fixer.note) for m in fixer.pattern.finditer(text)
                if (m.group(1) + m.group(2)).lower() in fixer.words]
    template = fixer.replacement
    literal = template is not None and "\\" not in template
    if literal and len(template) <= 1 and not fixer.unescape:  # the common case, kept lean
        fid, note = fixer.id, fixer.note
        return [Edit(m.start(), m.end(), template, fid, note)
                for m in fixer.pattern.finditer(text) if m.end() > m.start() and m.group() != template]
    edits: list[Edit] = []
    for m in fixer.pattern.finditer(text):
        old = m.group()
        if not old:
            continue
        if fixer.kind == "html_unescape":
            new = html.unescape(old)
        else:
            if fixer.split is not None:
                pieces = _split_edits(fixer, m)
                if pieces is not None:
                    edits.extend(pieces)
                    continue
            new = template if literal else m.expand(template)
            if fixer.unescape:
                new = html.unescape(new)
        if new != old:
            if len(old) == 1 or len(new) <= 1:  # nothing to trim
                edits.append(Edit(m.start(), m.end(), new, fixer.id, fixer.note))
            else:
                edits.append(_trimmed(fixer, m.start(), old, new))
    return edits


def _split_edits(fixer: Fixer, m: re.Match[str]) -> list[Edit] | None:
    """Edits for the stretches of a match between the groups its template copies unchanged."""
    lits, refs = fixer.split  # type: ignore[misc]
    text = m.string
    edits = []
    prev = m.start()
    for i, lit in enumerate(lits):
        if i < len(refs):
            start, end = m.span(refs[i])
            if start < prev:
                return None  # a group that did not take part, or groups out of order
        else:
            start = end = m.end()
        new = m.expand(lit) if "\\" in lit else lit
        old = text[prev:start]
        if new != old:
            edits.append(_trimmed(fixer, prev, old, new) if old and new else
                         Edit(prev, start, new, fixer.id, fixer.note))
        prev = end
    return edits


def _trimmed(fixer: Fixer, start: int, old: str, new: str) -> Edit:
    """An edit replacing `old` at `start` by `new`, less their common prefix and suffix.

    Trimming sharpens the offset map; it is skipped where it would leave a bare insertion or deletion
    (`&amp;` -> `&` stays one change, not a deleted `amp;`), which reads worse in the change log.
    """
    head = 0
    limit = min(len(old), len(new))
    while head < limit - 1 and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head - 1 and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return Edit(start + head, start + len(old) - tail, new[head:len(new) - tail], fixer.id, fixer.note)


def _ftfy_edits(fixer: Fixer, text: str, config: Any) -> list[Edit]:
    """Hand each word holding a pattern match (with such neighbours) to ftfy; one edit per change.

    A word ends at whitespace (a no-break space inside the match itself, as in mojibake of U+00E0,
    stays in). The edit is the changed stretch less the common prefix and suffix: `donâ€™t` gives
    `â€™` -> `’`. A run of mojibake words separated by single spaces is one edit.
    """
    import ftfy

    if config is None:
        config = ftfy_config(fixer)
    spans: list[list[int]] = []
    size = len(text)
    for m in fixer.pattern.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        start, end = m.start(), m.end()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < size and not text[end].isspace():
            end += 1
        if spans and start <= spans[-1][1] + 1 and text[spans[-1][1]:start] in ("", " "):
            spans[-1][1] = end  # a neighbouring word: let ftfy see both
        else:
            spans.append([start, end])
    edits: list[Edit] = []
    for start, end in spans:
        old = text[start:end]
        new = ftfy.fix_text(old, config)
        if new != old:
            edits.append(_trimmed(fixer, start, old, new))
    return edits
