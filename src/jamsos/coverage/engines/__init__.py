"""Engines of the coverage build besides the single-machine one (docs/scale.md)."""
