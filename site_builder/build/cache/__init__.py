"""What builds remember, in ROOT/.site-cache/build: parsed pages, related papers, the manifest."""
