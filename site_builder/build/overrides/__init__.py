"""Checks of a site's own theme files against the theme they build on (after an upgrade too)."""
