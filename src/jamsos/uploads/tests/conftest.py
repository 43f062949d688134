"""Two employers in two offices, one account per role, and files of workers to upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook

from jamsos.access.models import Role, UserAccess
from jamsos.access.scope import Scope, scope_for_user
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import BranchOffice, Employer
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create
from jamsos.membership.tests.fixtures import TODAY, Regions

__all__ = ["TODAY"]

HEADER = [
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "telepon",
    "kode_desa",
    "upah",
    "tanggal_mulai",
    "program",
]


def excel(year: int, month: int, day: int) -> datetime:
    """A date as openpyxl reads an Excel date cell: a naive datetime at midnight."""
    return datetime(year, month, day)  # noqa: DTZ001 (Excel has no time zones)


def worker(
    serial: int,
    *,
    birth: date = date(1990, 5, 17),
    sex: str = "M",
    district: str = "320405",
    **overrides: Any,
) -> dict[str, Any]:
    """A valid row: a NIK agreeing with the birth date and sex, living in Cileunyi Kulon."""
    row = {
        "nik": nik_make(district_code_nodot=district, birth_date=birth, sex=sex, serial=serial),
        "nama": f"Pekerja Nomor {serial}",
        "tanggal_lahir": birth.isoformat(),
        "jenis_kelamin": "L" if sex == "M" else "P",
        "telepon": "0812-3456-7890",
        "kode_desa": "32.04.05.2001",
        "upah": "4.500.000",
        "tanggal_mulai": "2025-03-01",
        "program": "",
    }
    row.update(overrides)
    return row


def csv_bytes(
    rows: Iterable[Mapping[str, Any]], *, delimiter: str = ",", header: list[str] | None = None
) -> bytes:
    header = header or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Mapping[str, Any]], *, header: list[str] | None = None) -> bytes:
    header = header or HEADER
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class World:
    bandung: BranchOffice
    bulungan: BranchOffice
    employer_a: Employer  # large, Kota Bandung, office KC3204
    employer_b: Employer  # micro, Bulungan, office KC6501
    scopes: dict[str, Scope]
    users: dict[str, Any]


@pytest.fixture
def world(regions: Regions) -> World:
    bandung = BranchOffice.objects.get(code="KC3204")
    bulungan = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    employer_a = employer_create(village=regions.sukarasa, legal_name="PT Bandung Maju")
    employer_b = employer_create(
        village=regions.tanjung_palas_hulu, legal_name="CV Kaltara Sejahtera", size="micro"
    )
    grants: dict[str, dict[str, Any]] = {
        "admin": {"role": Role.ADMIN},
        "officer_bandung": {"role": Role.BRANCH_OFFICER, "branch_office": bandung},
        "officer_bulungan": {"role": Role.BRANCH_OFFICER, "branch_office": bulungan},
        "employer_a": {"role": Role.EMPLOYER_USER, "employer": employer_a},
        "employer_b": {"role": Role.EMPLOYER_USER, "employer": employer_b},
        "analyst": {"role": Role.ANALYST},
        "partner": {"role": Role.PARTNER_USER, "partner_ref": "PKS-3204"},
    }
    users: dict[str, Any] = {}
    scopes: dict[str, Scope] = {}
    for name, grant in grants.items():
        access: UserAccess = user_access_grant(username=name, password="rahasia-123", **grant)
        users[name] = access.user
        scopes[name] = scope_for_user(access.user)
    scopes["nobody"] = Scope.nobody()
    return World(
        bandung=bandung,
        bulungan=bulungan,
        employer_a=employer_a,
        employer_b=employer_b,
        scopes=scopes,
        users=users,
    )
