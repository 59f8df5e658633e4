"""Dumps → entries: a dump's bytes decoded, its lines told apart, every listing date given its year."""
