from jamsos.core.tests.translations import compiled_translations

__all__ = ["compiled_translations"]
