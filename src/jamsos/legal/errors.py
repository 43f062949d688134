"""Errors raised by the legal engine.

Input errors name the field and carry a reason code; the message is rendered in the caller's
language from :mod:`jamsos.legal.messages` (Bahasa Indonesia first, English second).
"""

from __future__ import annotations

from typing import Any

from jamsos.legal.messages import render


class LegalInputError(ValueError):
    """Input that the law cannot be applied to. ``field`` is the public input name."""

    def __init__(self, field: str, code: str, **params: Any) -> None:
        self.field = field
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: str = "id") -> str:
        return render(self.code, language, field=self.field, **self.params)


class ParameterNotFound(LookupError):
    """No value of a parameter is in force at the requested date."""

    def __init__(self, name: str, on: object) -> None:
        self.name = name
        self.on = on
        super().__init__(f"parameter {name!r} has no value in force on {on}")


class ParameterFileError(ValueError):
    """A parameter YAML file is malformed. Raised at load time, naming the file and key."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path, self.key, self.reason = path, key, reason
        super().__init__(f"{path}: {key}: {reason}")
