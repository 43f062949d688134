"""Engines of the billing run besides the single-machine one (docs/scale.md)."""
