"""The synthetic demo population: calibration, names, row generation and loading."""

from jamsos.demo.population.build import (
    demo_population_build,
    demo_population_get,
    demo_population_remove,
)

__all__ = ["demo_population_build", "demo_population_get", "demo_population_remove"]
