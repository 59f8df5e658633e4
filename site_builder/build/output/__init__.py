"""The output folder: where a build may write, and how a new site replaces the live one."""
