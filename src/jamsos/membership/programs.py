"""Which programs a membership holds, checked against the law in force on its start date.

Reads ``programs/available`` (what a segment may join) and ``programs/mandatory`` (what it must
join; for PU by employer size, Perpres 109/2013 Pasal 6) from the legal parameters:

- the mandatory programs are always included, whatever was chosen;
- a chosen program the segment cannot join is refused (BPU has no JP, PP 46/2015 Pasal 4(3));
- JKP is never chosen: it follows from the other programs (PP 37/2021) and is refused here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from jamsos.legal.errors import ParameterNotFound
from jamsos.legal.params import parameters
from jamsos.legal.types import EmployerSize, Program, Segment
from jamsos.membership.errors import (
    InvalidChoice,
    ProgramNotAllowed,
    RequiredField,
    StartBeforeLaw,
)

_JKP_WHY = {
    "id": "JKP tidak dipilih; JKP berlaku otomatis bila syaratnya terpenuhi (PP 37/2021).",
    "en": "JKP is not chosen; it applies when its conditions are met (PP 37/2021).",
}


def _expand(codes: Iterable[str]) -> set[Program]:
    out: set[Program] = set()
    for code in codes:
        if code == Program.JKK_JKM.value:
            out.update({Program.JKK, Program.JKM})
        else:
            out.add(Program(code))
    return out


def _parse(chosen: Iterable[Program | str]) -> set[Program]:
    out: set[Program] = set()
    for item in chosen:
        text = str(getattr(item, "value", item)).strip().upper()
        try:
            out.update(_expand([text]))
        except ValueError:
            choices = ", ".join(p.value for p in Program if p is not Program.JKK_JKM)
            raise InvalidChoice(field="programs", value=text, choices=choices) from None
    return out


def programs_for(
    *,
    segment: Segment,
    on: date,
    chosen: Iterable[Program | str] = (),
    employer_size: EmployerSize | None = None,
) -> frozenset[Program]:
    """The programs of a membership of ``segment`` starting ``on``: mandatory ∪ chosen."""
    params = parameters()
    try:
        available_param = params.get("programs.available", on=on)
        mandatory_param = params.get("programs.mandatory", on=on)
    except ParameterNotFound:
        first = params.parameter("programs.available").dates[0]
        raise StartBeforeLaw(start_date=on, first=first) from None
    wanted = _parse(chosen)
    if Program.JKP in wanted:
        raise ProgramNotAllowed(program="JKP", segment=segment.value, why=_JKP_WHY)
    available = _expand(available_param.value[segment.value])
    for program in sorted(wanted - available, key=lambda p: p.value):
        why = {
            "id": f"tidak tersedia untuk segmen ini ({available_param.reference_text}).",
            "en": f"not available to this segment ({available_param.reference_text}).",
        }
        raise ProgramNotAllowed(program=program.value, segment=segment.value, why=why)
    key = segment.value
    if segment is Segment.PU:
        if employer_size is None:
            raise RequiredField(field="size")
        key = f"PU_{EmployerSize(employer_size).value}"
    mandatory = _expand(mandatory_param.value[key])
    return frozenset(mandatory | wanted)
