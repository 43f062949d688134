from jamsos.core.tests.translations import compiled_translations  # noqa: F401
