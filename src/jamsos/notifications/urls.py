"""Message pages under /pesan/ (docs/notifications.md)."""

from jamsos.notifications.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
