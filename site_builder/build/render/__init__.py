"""Pages → HTML: the theme's templates and the text, links and citations a page shows."""
