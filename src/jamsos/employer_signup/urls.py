"""Pages under /perusahaan/ (see :mod:`jamsos.employer_signup.views`)."""

from jamsos.employer_signup.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
