"""Gunicorn's settings for the production profile (``make serve-production``), from the
environment (docs/deployment.md "Serving"):

- ``JAMSOS_BIND``: the address to listen on (default ``127.0.0.1:8000``: the reverse proxy that
  ends TLS forwards to it);
- ``JAMSOS_WEB_WORKERS``: worker processes (default: two per processor, at least two);
- ``JAMSOS_WEB_TIMEOUT``: seconds before a stuck worker is restarted (default 60: long work runs
  in the task worker, not in a request).

The access log is written to the standard output without query strings: a search text or a NIK
never reaches a log (the pages send them by POST; this holds for any address typed by hand).

Run as ``gunicorn -c python:jamsos.config.gunicorn jamsos.config.wsgi:application``.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [os.environ.get("JAMSOS_BIND", "127.0.0.1:8000").strip() or "127.0.0.1:8000"]
workers = max(1, _int("JAMSOS_WEB_WORKERS", max(2, 2 * (os.cpu_count() or 1))))
timeout = _int("JAMSOS_WEB_TIMEOUT", 60)
graceful_timeout = 20
# Requests larger than this are refused before Django reads them (upload limits are Django's).
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
# %(U)s is the path without its query string.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Headers of the reverse proxy on this machine are trusted (X-Forwarded-Proto); Django reads
# the same header through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("JAMSOS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket: nothing manages the server at run time but its signals (TERM stops it).
control_socket_disable = True
# Lets the master load the application once, so that a broken configuration stops the start.
preload_app = True
