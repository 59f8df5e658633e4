"""Related papers: each paper's salient terms and tags, scored through an inverted index."""
