"""Build src/warmonitor/data/words/common_words.txt: the English words common enough that sharing one
is no evidence two reports tell the same event (link/rarity.py).

Source: `en_lexeme_prob` of spacy-lookups-data (MIT licence; already a dependency of warmonitor), the
log probability of each word in a large English web corpus. Kept: lower-case alphabetic words of at
least four letters whose log probability is above THRESHOLD. At -16 (one word in about nine million)
capitals and names in the news every day ("chicago", "gaza") are common, while towns such as "homs",
"aleppo" and surnames such as "koval", "okafor" stay rare; on gva-dev -16 linked with pairwise F1 0.710
(-15: 0.704, -14: 0.693, -12: 0.663). Run it again to rebuild:

    python scripts/build_common_words.py [THRESHOLD]
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import spacy_lookups_data

THRESHOLD = -16.0
OUT = Path(__file__).resolve().parents[1] / "src" / "warmonitor" / "data" / "words" / "common_words.txt"


def main() -> None:
    threshold = float(sys.argv[1]) if len(sys.argv) > 1 else THRESHOLD
    table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(table, "rt", encoding="utf-8") as handle:
        probs = json.load(handle)
    words = sorted(w for w, p in probs.items() if p > threshold and len(w) >= 4 and w.isalpha() and w.islower())
    lines = [f"# source: spacy-lookups-data en_lexeme_prob (MIT), words of 4+ letters with log probability > {threshold:g}",
             "# English words common enough that two reports sharing one tells nothing about whether they",
             "# report one event (link/rarity.py). Built by scripts/build_common_words.py; do not edit by hand."]
    lines += words
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
