"""Refusals that only the registry API makes (a bad cursor, an unknown region code, a NIK
registered already, seen by an anonymous caller), on :class:`~jamsos.api.errors.ApiError`.

The membership services' own refusals are :class:`~jamsos.membership.errors.MembershipError`;
the API's one handler renders both in the language the request asks for.
"""

from __future__ import annotations

from jamsos.api.errors import ApiError


class UnknownRegion(ApiError):
    code = "api.unknown_region"
    text = {
        "id": "Kode wilayah {code!r} tidak ada di daftar wilayah yang berlaku.",
        "en": "Region code {code!r} is not in the current region list.",
    }


class UnknownBranchOffice(ApiError):
    code = "api.unknown_branch_office"
    default_field = "branch_office"
    text = {
        "id": "Tidak ada kantor cabang dengan kode {code!r}.",
        "en": "No branch office has the code {code!r}.",
    }


class AlreadyRegistered(ApiError):
    """What an anonymous caller learns about a NIK that exists, once they have given its
    record's name and birth date: no name, no KPJ."""

    code = "registration.already_registered"
    http_status = 409
    default_field = "nik"
    text = {
        "id": "NIK ini sudah terdaftar. Masuk ke akun Anda atau datang ke kantor cabang "
        "terdekat untuk mendaftar.",
        "en": "This NIK is already registered. Sign in to your account or visit the nearest "
        "branch office to register.",
    }


class RegistrationNotConfirmed(ApiError):
    """An anonymous caller named a registered NIK with a name or birth date other than its
    record's: the answer says nothing of the record, not even that it exists."""

    code = "registration.not_confirmed"
    http_status = 409
    text = {
        "id": "Pendaftaran mandiri tidak dapat diselesaikan dengan data ini. Periksa NIK, nama, "
        "dan tanggal lahir sesuai KTP; bila sudah benar, datang ke kantor cabang terdekat "
        "dengan KTP Anda.",
        "en": "Self-registration cannot be completed with these data. Check the NIK, name and "
        "birth date against your identity card (KTP); if they are right, visit the nearest "
        "branch office with your KTP.",
    }


class PersonDataMismatch(ApiError):
    """A signed-in caller named a registered NIK they cannot see, with other data."""

    code = "registration.person_data_mismatch"
    http_status = 409
    default_field = "nik"
    text = {
        "id": "NIK ini sudah terdaftar, tetapi nama atau tanggal lahir yang diisi tidak sama "
        "dengan data peserta. Periksa datanya, atau minta kantor cabang memeriksanya.",
        "en": "This NIK is already registered, but the name or birth date given differs from "
        "the participant's record. Check the data, or ask a branch office to check it.",
    }


class NotOwnPerson(ApiError):
    """A signed-in worker tried to register someone else."""

    code = "registration.not_own_person"
    http_status = 403
    default_field = "nik"
    text = {
        "id": "Peserta yang masuk hanya dapat mendaftarkan dirinya sendiri (NIK akun ini).",
        "en": "A signed-in worker can register only themselves (this account's NIK).",
    }
