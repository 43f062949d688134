"""Jamsos: employment social security for every worker."""

__version__ = "0.1.0"
