"""Page files: the front matter and body of content/papers/<slug>.md, read and written."""
