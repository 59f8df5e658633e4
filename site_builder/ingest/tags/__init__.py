"""Tags: the taxonomy's rules compiled and scored on each paper, cached, and rule changes proposed."""
