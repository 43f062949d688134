"""The registry's web pages: sign-in, the role-aware landing page, finding a worker, a worker's
page, registering PU and BPU members, an employer's page and wage reports, the audit trail.

Every page takes the caller's scope (``jamsos.access.scope.scope_for_user``) and reads through the
scoped selectors of ``jamsos.membership.selectors``; it writes through the membership services.
docs/registry/pages.md describes who sees what.
"""
