"""`ingest`: dumps in content/sources → pages in content/papers (see pipeline.py for the recipe)."""
