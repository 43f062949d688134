"""The registry REST API: people, employers, memberships, registrations and ``/me``.

Mounted by :mod:`jamsos.config.api` from :data:`jamsos.membership.api.routes.router`. Every
operation takes the caller's scope (:func:`jamsos.api.auth.caller_scope`) and reads through the
scoped selectors of :mod:`jamsos.membership.selectors`; writes go through the membership
services, which append the history and the audit trail.
"""
