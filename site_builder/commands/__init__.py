"""The commands beside the two pipelines: serve, check, init, tags."""
