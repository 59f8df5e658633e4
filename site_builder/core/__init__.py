"""The shared core both stages stand on: the data model, settings, page files, errors,
safe file I/O and small text helpers. It imports neither `ingest` nor `build`."""
