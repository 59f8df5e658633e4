"""Site search: the words, postings and index the browser searches, and the stemmer it shares."""
