"""Pages under /agen/ (see :mod:`jamsos.agents.views`)."""

from jamsos.agents.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
