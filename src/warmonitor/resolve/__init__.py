"""Resolution of what the extractors found as written: time phrases against the publication date
(`resolve.dates`), place names against the gazetteer (`resolve.gazetteer`, `resolve.places`).

Nothing is imported or loaded here.
"""
