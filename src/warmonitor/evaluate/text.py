"""Text normalisation shared by every comparison in the evaluation.

Gold evidence was cut from the article *after* HTML entities were repaired, while a prediction may
quote the raw text (``&#39;``, ``,quot;``, curly quotes).  Both sides are therefore put through the same
repair before they are split into words or folded into names, so that an entity never costs a match.
The rules (which entities, which characters count as a word) follow FORMAT.md's reference scorer
exactly: a score is only comparable with published figures when the normalisation is identical.
"""
from __future__ import annotations

import html
import re
from typing import Any, Iterable

__all__ = ["repair_text", "word_tokens", "word_overlap", "fold_name", "name_matches"]

# "& # 39 ;" with stray spaces, as scrapers leave them.
_NUMERIC_ENTITY = re.compile(r"&\s*#\s*(\d+)\s*;")
# A broken "&quot;" whose ampersand was turned into a comma (or lost).
_BROKEN_QUOT = re.compile(r",?quot;")
_STRAIGHTEN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"[a-z0-9]+")
_NOT_NAME_CHAR = re.compile(r"[^a-z0-9 ]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")


def _numeric_entity(match: re.Match) -> str:
    code = int(match.group(1))
    # An out-of-range code point is left as written rather than aborting the whole evaluation.
    return chr(code) if code <= 0x10FFFF else match.group(0)


def repair_text(text: str) -> str:
    """Undo the entity damage seen in scraped news text and straighten typographic quotes."""
    text = _NUMERIC_ENTITY.sub(_numeric_entity, text)
    text = _BROKEN_QUOT.sub('"', text)
    return html.unescape(text).translate(_STRAIGHTEN)


def word_tokens(text: str | None) -> list[str]:
    """Lower-case ASCII letter/digit runs of the repaired text; punctuation and accents split words."""
    return _WORD.findall(repair_text(text or "").lower())


def word_overlap(gold_text: str | None, predicted_text: str | None) -> float:
    """Share of the gold evidence's words (repeats counted) that occur anywhere in the prediction.

    Measured from the gold side so that a prediction quoting a longer sentence or clause than the gold
    evidence is not penalised; an empty gold evidence never matches.
    """
    gold_words = word_tokens(gold_text)
    if not gold_words:
        return 0.0
    present = set(word_tokens(predicted_text))
    return sum(1 for word in gold_words if word in present) / len(gold_words)


def fold_name(name: Any) -> str:
    """Reduce a name to lower-case words, without punctuation or a leading article.

    "The U.N.'s OHCHR" and "u n s ohchr" fold alike, so alias lists need not spell every variant.
    """
    folded = repair_text(str(name)).lower()
    folded = _NOT_NAME_CHAR.sub(" ", folded).strip()
    folded = _LEADING_ARTICLE.sub("", folded)
    return " ".join(folded.split())


def _as_alias_list(aliases: Any) -> list:
    if isinstance(aliases, str):
        return [aliases]
    if aliases is None:
        return []
    try:
        return list(aliases)
    except TypeError:  # a bare number given as the only alias
        return [aliases]


def _predicted_names(predicted: Any) -> Iterable[Any]:
    for value in predicted if isinstance(predicted, list) else [predicted]:
        # A predicted place or actor may be an object; its name is what is compared.
        yield (value.get("name") or value.get("actor") or "") if isinstance(value, dict) else value


def name_matches(predicted: Any, aliases: Any) -> bool:
    """Whether a predicted name (or any of a list of them) matches one of the gold aliases.

    After folding, the predicted name must contain the alias as whole words: "Syrian government forces
    in Idlib" matches the alias "Syrian government forces", which keeps extractors from being punished
    for a more specific name, while "Syria" does not match inside "Syrian".
    """
    if predicted is None:
        return False
    wanted = [f" {key} " for key in map(fold_name, _as_alias_list(aliases)) if key]
    if not wanted:
        return False
    for name in _predicted_names(predicted):
        padded = f" {fold_name(name)} "
        if any(key in padded for key in wanted):
            return True
    return False
