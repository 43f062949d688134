"""What every command shares: refusals with exit status 2, numbers grouped the Indonesian way."""

from __future__ import annotations

from django.core.management.base import CommandError


def number(value: int) -> str:
    """``1234567`` as ``1.234.567``."""
    return f"{value:,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """``1234567`` as ``Rp 1.234.567``."""
    return f"Rp {number(amount)}"


def refuse(message: str) -> CommandError:
    """A refusal: the message in the chosen language, exit status 2."""
    return CommandError(message, returncode=2)


def text_table(rows: list[list[str]], header: list[str]) -> str:
    """Columns padded to their widest cell, a rule under the header."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])
