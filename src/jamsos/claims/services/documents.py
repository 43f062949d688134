"""A claim's documents: the kind each case needs, the file's type read from its first bytes
(PDF, JPEG, PNG; never from its name), its size, stored under ``VAR_DIR/claims/``."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.claims.errors import (
    BadTransition,
    DocumentKindUnknown,
    DocumentTooLarge,
    DocumentUnreadable,
)
from jamsos.claims.models import Claim, ClaimDocument, ClaimStatus
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import DOCUMENT_MAX_BYTES, DOCUMENT_NAMES, DOCUMENT_TYPES
from jamsos.claims.services.workflow import ACTIONS, STATUS_WORDS, claim_for_update

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def sniff(head: bytes) -> str | None:
    """The document type its first bytes show, or None."""
    for content_type, magics in DOCUMENT_TYPES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def storage_root() -> Path:
    return Path(settings.VAR_DIR) / "claims"


def document_check(kind: str, name: str, content: bytes) -> str:
    """The content type, or the refusal: unknown kind, too large, not a PDF/JPEG/PNG."""
    if kind not in DOCUMENT_NAMES:
        raise DocumentKindUnknown(value=kind, choices=", ".join(DOCUMENT_NAMES))
    if len(content) > DOCUMENT_MAX_BYTES:
        raise DocumentTooLarge(value=name, size=len(content), max=DOCUMENT_MAX_BYTES)
    content_type = sniff(content[:16])
    if content_type is None or len(content) < 32:
        raise DocumentUnreadable(value=name)
    if content_type == "application/pdf" and b"%%EOF" not in content[-1024:]:
        raise DocumentUnreadable(value=name)
    if content_type == "image/jpeg" and not content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise DocumentUnreadable(value=name)
    if content_type == "image/png" and b"IEND" not in content[-16:]:
        raise DocumentUnreadable(value=name)
    return content_type


def document_add(
    by: Scope | None,
    claim_pk: int | str,
    *,
    kind: str,
    name: str,
    content: bytes,
    now: datetime | None = None,
) -> ClaimDocument:
    """Check and store one document of an open claim; a refusal stores nothing."""
    CLAIMS.require(by, "claim.document")
    content_type = document_check(kind, name, content)
    digest = hashlib.sha256(content).hexdigest()
    now = now or timezone.now()
    with transaction.atomic():
        claim: Claim = claim_for_update(by, claim_pk)
        if claim.is_final:
            raise BadTransition(
                status=STATUS_WORDS[ClaimStatus(claim.status)], action=ACTIONS["document"]
            )
        relative = (
            Path("claims") / claim.number / f"{kind}-{digest[:16]}.{EXTENSIONS[content_type]}"
        )
        target = Path(settings.VAR_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        written = not target.exists()
        if written:
            target.write_bytes(content)
        try:
            doc = ClaimDocument.objects.create(
                claim=claim,
                kind=kind,
                name=(name or kind)[:200],
                content_type=content_type,
                size=len(content),
                sha256=digest,
                path=str(relative),
                uploaded_at=now,
                uploaded_by=(by.actor_name if by else "") or "system",
            )
            audit_record(
                by,
                AuditAction.IMPORT,
                claim,
                label=claim.number,
                detail={"document": kind, "size": len(content)},
            )
        except Exception:
            if written:
                target.unlink(missing_ok=True)
            raise
    return doc
