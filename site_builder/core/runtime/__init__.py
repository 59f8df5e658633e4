"""The process underneath: hashes, worker processes, the C library, numpy tables, the collector."""
