"""Files on disk: atomic writes, which content files are read, YAML, and the cache store."""
