"""Panels that apps above the work home page add to it, without the page importing them.

An app registers a function at start-up (its ``AppConfig.ready``); the work home page calls
every registered function with the caller's scope and includes the template of each panel
returned. A function returns None when it has nothing for that caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jamsos.access.scope import Scope


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[Scope], HomePanel | None]

_PANELS: dict[str, PanelFunction] = {}


def register(name: str, function: PanelFunction) -> None:
    """Add (or replace, by name) a panel function."""
    _PANELS[name] = function


def panels_for(scope: Scope) -> list[HomePanel]:
    """The panels for the caller, in the order the apps registered them."""
    return [panel for function in _PANELS.values() if (panel := function(scope)) is not None]
