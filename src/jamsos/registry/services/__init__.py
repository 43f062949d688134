"""Registry services: regions and their editions, boundaries, population, workforce figures.

Import from here: ``from jamsos.registry.services import reference_data_load``.
"""

from jamsos.registry.services.boundaries import boundaries_import
from jamsos.registry.services.editions import (
    edition_get,
    edition_get_or_create,
    edition_set_current,
)
from jamsos.registry.services.population import population_import
from jamsos.registry.services.reference import reference_data_load
from jamsos.registry.services.region_import import regions_import
from jamsos.registry.services.regions import regions_load_packaged, regions_write
from jamsos.registry.services.workforce import apportion, workforce_estimate, workforce_import

__all__ = [
    "apportion",
    "boundaries_import",
    "edition_get",
    "edition_get_or_create",
    "edition_set_current",
    "population_import",
    "reference_data_load",
    "regions_import",
    "regions_load_packaged",
    "regions_write",
    "workforce_estimate",
    "workforce_import",
]
