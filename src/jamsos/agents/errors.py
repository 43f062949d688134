"""Refusals of the Perisai agents' work (codes ``agents.*``)."""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "agent": {"id": "Agen", "en": "Agent"},
    "code": {"id": "Kode agen", "en": "Agent code"},
    "nik": {"id": "NIK", "en": "NIK"},
    "kpj": {"id": "KPJ", "en": "KPJ"},
    "branch_office": {"id": "Kantor cabang", "en": "Branch office"},
    "region": {"id": "Wilayah", "en": "Region"},
    "month": {"id": "Bulan", "en": "Month"},
    "reference": {"id": "Nomor kuitansi", "en": "Receipt number"},
    "status": {"id": "Status", "en": "Status"},
}


class AgentsError(ApplicationError):
    """Base of the agents' refusals."""

    code: ClassVar[str] = "agents.error"
    labels: ClassVar[dict[str, dict[str, str]]] = FIELD_LABELS


class AgentNotFound(AgentsError):
    code = "agents.not_found"
    http_status = 404
    default_field = "agent"
    text = {
        "id": "Agen {value} tidak ditemukan.",
        "en": "Agent {value} was not found.",
    }


class AgentNotActive(AgentsError):
    code = "agents.not_active"
    http_status = 409
    default_field = "agent"
    text = {
        "id": "Agen {value} tidak aktif: tidak dapat mendaftarkan atau menagih.",
        "en": "Agent {value} is not active: they may not enrol or collect.",
    }


class AlreadyAnAgent(AgentsError):
    code = "agents.already_an_agent"
    http_status = 409
    default_field = "nik"
    text = {
        "id": "Orang dengan NIK ini sudah menjadi agen ({value}).",
        "en": "The person with this NIK is already an agent ({value}).",
    }


class CodeTaken(AgentsError):
    code = "agents.code_taken"
    http_status = 409
    default_field = "code"
    text = {
        "id": "Kode agen {value} sudah dipakai.",
        "en": "The agent code {value} is taken.",
    }


class PersonNotRegistered(AgentsError):
    code = "agents.person_not_registered"
    default_field = "nik"
    text = {
        "id": "{label}: seorang agen harus terdaftar lebih dahulu sebagai orang (NIK).",
        "en": "{label}: an agent must first be registered as a person (NIK).",
    }


class NotTheirWorker(AgentsError):
    code = "agents.not_their_worker"
    http_status = 404
    default_field = "kpj"
    text = {
        "id": "{label} {value} bukan peserta yang didaftarkan agen ini.",
        "en": "{label} {value} is not a participant this agent enrolled.",
    }


class NotBilledYet(AgentsError):
    code = "agents.no_virtual_account"
    http_status = 409
    default_field = "kpj"
    text = {
        "id": "{label} {value} belum mempunyai virtual account: tagihan pertamanya belum terbit.",
        "en": "{label} {value} has no virtual account yet: their first invoice is not issued.",
    }


class BadMonth(AgentsError):
    code = "agents.bad_month"
    default_field = "month"
    text = {
        "id": "{label} harus berbentuk TTTT-BB dan tidak sebelum aturan komisi berlaku: {value}.",
        "en": "{label} must read YYYY-MM and not precede the commission rule: {value}.",
    }


class ReferenceRequired(AgentsError):
    code = "agents.reference_required"
    default_field = "reference"
    text = {
        "id": "{label} wajib diisi (paling banyak 40 karakter).",
        "en": "{label} is required (at most 40 characters).",
    }
