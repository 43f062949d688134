"""Services of the partner work (docs/partners/)."""
