"""site_builder: dumps of daily-papers listings → a deduplicated, tagged, searchable static site."""

__version__ = "0.1.0"
