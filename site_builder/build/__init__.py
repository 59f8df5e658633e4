"""`build`: content/ → the static site (see pipeline.py for the recipe)."""
