"""Registry: regions by edition, boundaries, population and workforce figures."""
