"""Renderers: each lays out the same format-neutral Document in one output format."""
