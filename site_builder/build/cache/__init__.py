"""What builds remember, in ROOT/.site-cache/build: parsed pages, related papers, the manifest."""

from site_builder.core.files.store import SITE_CACHE

CACHE_DIR = SITE_CACHE / "build"
