"""The messages of employer self-registration, sent through the outbox."""

from __future__ import annotations

from jamsos.notifications.kinds import EMAIL, Kind, register

VERIFIED = "employer_signup.verified"
REJECTED = "employer_signup.rejected"


def register_kinds() -> None:
    register(
        Kind(
            name=VERIFIED,
            label={"id": "Pemberi kerja terdaftar", "en": "Employer registered"},
            subject={
                "id": "{legal_name} terdaftar di BPJS Ketenagakerjaan, NPP {npp}",
                "en": "{legal_name} is registered with BPJS Ketenagakerjaan, NPP {npp}",
            },
            body={
                "id": "Yth. {name}, permohonan {reference} telah diverifikasi kantor cabang. "
                "{legal_name} terdaftar dengan NPP {npp}. Nama akun Anda {username}; buat "
                "kata sandi melalui tautan ini (berlaku beberapa hari, sekali pakai): {link}",
                "en": "Dear {name}, application {reference} was verified by the branch "
                "office. {legal_name} is registered with NPP {npp}. Your account name is "
                "{username}; set a password with this link (valid for a few days, once): "
                "{link}",
            },
            params=(
                ("name", "text"),
                ("reference", "text"),
                ("legal_name", "text"),
                ("npp", "text"),
                ("username", "text"),
                ("link", "text"),
            ),
            channels=(EMAIL,),
            required=True,
            secret=("link",),
        )
    )
    register(
        Kind(
            name=REJECTED,
            label={"id": "Permohonan pemberi kerja ditolak", "en": "Employer application rejected"},
            subject={
                "id": "Permohonan {reference} tidak dapat diterima",
                "en": "Application {reference} could not be accepted",
            },
            body={
                "id": "Yth. {name}, permohonan pendaftaran {legal_name} ({reference}) tidak "
                "dapat diterima kantor cabang. Alasan: {reason}",
                "en": "Dear {name}, the registration application of {legal_name} "
                "({reference}) could not be accepted by the branch office. Reason: {reason}",
            },
            params=(
                ("name", "text"),
                ("reference", "text"),
                ("legal_name", "text"),
                ("reason", "text"),
            ),
            channels=(EMAIL,),
            required=True,
        )
    )
