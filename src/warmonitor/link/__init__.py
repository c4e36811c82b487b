"""The `link` stage: facts from many articles into incidents (one record per event, with its sources)."""
