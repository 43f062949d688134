"""Contribution rules, one module per segment. Each takes a checked input and returns lines."""
