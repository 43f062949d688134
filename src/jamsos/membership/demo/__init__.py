"""The synthetic demo population: calibration, names, row generation and loading."""
