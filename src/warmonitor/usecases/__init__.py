"""What warmonitor does for a user, as functions the command line, the Python API and the benchmarks share.

One module per use case: `ingest` (files, folders, stdin, pages and feeds into the store), `reprocess`
(stored articles extracted again), `demo` (the shipped examples into a fresh store, with an account),
and `version` (the extractor version facts are stored under). Linking facts into incidents will be one
more module here.

Use cases never print and know nothing of the terminal: progress and each skipped input go to
callbacks, and what was done comes back as a summary dataclass. Modules are imported one by one
(`from warmonitor.usecases.ingest import ingest_inputs`); this package imports none of them, so that
asking for one use case does not load what the others need.
"""
