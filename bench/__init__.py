"""Benchmarks: `python -m bench.search_bench` (search index), `make bench` (everything)."""
