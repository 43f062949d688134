"""`jamsos calc contribution`: the JSON contract, the readable table, and refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from jamsos.legal import contribution, parameters
from jamsos.legal.contribution import last_period
from jamsos.legal.inputs import contribution_input

LINE_KEYS = {"program", "payer", "base_idr", "rate", "amount_idr", "reference"}
TOTAL_KEYS = {"employer_idr", "worker_idr", "participant_idr", "government_idr", "total_idr"}

CASES = {
    "PU": ["--segment", "PU", "--period", "2025-03", "--wage", "5000000", "--risk-class", "1"],
    "BPU": ["--segment", "BPU", "--period", "2025-03", "--income", "3500000", "--programs", "JHT"],
    "JAKON": ["--segment", "JAKON", "--period", "2025-03", "--contract-value", "2000000000"],
    "PMI": ["--segment", "PMI", "--period", "2025-03", "--placement-months", "30"],
}


def jamsos_script() -> str:
    """The installed console script, next to the running interpreter."""
    beside = Path(sys.executable).parent / "jamsos"
    found = str(beside) if beside.exists() else shutil.which("jamsos")
    assert found, "the jamsos console script is not installed"
    return found


def run(*args: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("calc", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def line(data: dict, program: str, payer: str) -> dict:
    return next(x for x in data["lines"] if x["program"] == program and x["payer"] == payer)


@pytest.mark.parametrize("segment", list(CASES))
def test_json_has_the_exact_contract_shape(segment):
    # when
    status, out, err = run("contribution", *CASES[segment], "--json")
    # then
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"period", "segment", "lines", "totals"}
    assert data["period"] == "2025-03"
    assert data["segment"] == segment
    assert data["lines"]
    for item in data["lines"]:
        assert set(item) == LINE_KEYS
        assert isinstance(item["program"], str)
        assert isinstance(item["payer"], str)
        assert type(item["base_idr"]) is int
        assert type(item["amount_idr"]) is int
        assert item["rate"] is None or isinstance(item["rate"], str)
        assert isinstance(item["reference"], str)
        assert item["reference"]
    assert set(data["totals"]) == TOTAL_KEYS
    assert all(type(value) is int for value in data["totals"].values())
    totals = data["totals"]
    assert totals["total_idr"] == sum(v for k, v in totals.items() if k != "total_idr")


def test_json_prints_exactly_the_breakdown_contract():
    # given
    expected = contribution(
        contribution_input({"segment": "PU", "period": "2025-03", "wage": 5000000, "risk_class": 1})
    ).to_json()
    # when
    status, out, _err = run("contribution", *CASES["PU"], "--json")
    # then
    assert status == 0
    assert out == json.dumps(expected) + "\n"


def test_pu_amounts_are_the_law_s():
    # when
    _status, out, _err = run("contribution", *CASES["PU"], "--json")
    data = json.loads(out)
    # then: PP 44/2015 0.24 %, PP 46/2015 2 %, PP 45/2015 2 %
    assert line(data, "JKK", "employer")["amount_idr"] == 12000
    assert line(data, "JKK", "employer")["rate"] == "0.0024"
    assert line(data, "JKM", "employer")["amount_idr"] == 15000
    assert line(data, "JHT", "employer")["amount_idr"] == 185000
    assert line(data, "JHT", "worker")["amount_idr"] == 100000
    assert line(data, "JP", "employer")["amount_idr"] == 100000
    assert line(data, "JP", "worker")["amount_idr"] == 50000
    assert data["totals"]["employer_idr"] == 312000
    assert data["totals"]["worker_idr"] == 150000


def test_bpu_pmi_and_jakon_amounts():
    _s, out, _e = run("contribution", *CASES["BPU"], "--json")
    bpu = json.loads(out)
    assert line(bpu, "JKM", "participant") == {
        "program": "JKM",
        "payer": "participant",
        "base_idr": 6800,
        "rate": None,
        "amount_idr": 6800,
        "reference": line(bpu, "JKM", "participant")["reference"],
    }
    assert line(bpu, "JHT", "participant")["amount_idr"] == 70000
    _s, out, _e = run("contribution", *CASES["PMI"], "--json")
    assert json.loads(out)["totals"]["participant_idr"] == 37500 + 332500 + 6 * 13500
    _s, out, _e = run("contribution", *CASES["JAKON"], "--json")
    assert json.loads(out)["totals"]["employer_idr"] == 2950000


def test_table_shows_labels_amounts_references_totals_and_notes_in_indonesian():
    # when
    status, out, _err = run("contribution", *CASES["PU"])
    # then
    assert status == 0
    assert "Iuran PU, Maret 2025" in out
    assert "PP 44/2015 Pasal 16 ayat (1)" in out
    assert "PP 46/2015 Pasal 16 ayat (1)" in out
    assert "PP 45/2015 Pasal 28 ayat (3)" in out
    assert "Jaminan Kecelakaan Kerja (JKK)" in out
    assert "Pemberi kerja" in out
    assert "Pekerja (potong upah)" in out
    assert "Rp12.000" in out
    assert "0,24%" in out
    assert "Rp312.000" in out
    assert "Rp473.000" in out
    assert "Catatan" in out


def test_table_in_english_groups_numbers_the_english_way():
    status, out, _err = run("contribution", *CASES["PU"], "--lang", "en")
    assert status == 0
    assert "Contributions PU, March 2025" in out
    assert "Work accident (JKK)" in out
    assert "Rp12,000" in out
    assert "0.24%" in out
    assert "Notes" in out


def test_table_renders_notes_with_grouped_numbers():
    status, out, _err = run("contribution", *CASES["BPU"])
    assert status == 0
    assert "Penghasilan Rp3.500.000 dihitung pada tingkat Rp3.500.000" in out
    assert "nominal tetap" in out  # the flat JKM amount has no rate


def test_not_jkp_eligible_leaves_out_the_jkp_lines():
    _s, out, _e = run("contribution", *CASES["PU"], "--json")
    assert any(item["program"] == "JKP" for item in json.loads(out)["lines"])
    _s, out, _e = run("contribution", *CASES["PU"], "--not-jkp-eligible", "--json")
    assert not any(item["program"] == "JKP" for item in json.loads(out)["lines"])


def test_optional_programs_and_employer_size():
    args = ["--segment", "PU", "--period", "2025-03", "--wage", "5000000"]
    _s, out, _e = run("contribution", *args, "--employer-size", "micro", "--json")
    assert {item["program"] for item in json.loads(out)["lines"]} == {"JKK", "JKM"}
    _s, out, _e = run(
        "contribution", *args, "--employer-size", "small", "--programs", "JP", "--json"
    )
    assert {"JHT", "JP"} <= {item["program"] for item in json.loads(out)["lines"]}


AFTER_LAST = str(last_period(parameters()).next())

BAD_INPUTS = [
    pytest.param(["--segment", "XX", "--period", "2025-03", "--wage", "1"], "--segment", "Segmen",
                 id="unknown segment"),
    pytest.param(["--segment", "PU", "--period", "2025-03", "--wage=-5000"], "--wage",
                 "tidak boleh negatif", id="negative wage"),
    pytest.param(["--segment", "PU", "--period", "2025-03", "--wage", "lima juta"], "--wage",
                 "bilangan bulat", id="non-numeric wage"),
    pytest.param(["--segment", "PU", "--period", "2015-06", "--wage", "5000000"], "--period",
                 "2015-07", id="period before the law"),
    pytest.param(["--segment", "PU", "--period", "2027-01", "--wage", "5000000"], "--period",
                 "melewati parameter", id="period 2027-01"),
    pytest.param(["--segment", "PU", "--period", AFTER_LAST, "--wage", "5000000"], "--period",
                 "melewati parameter", id="month after the last known"),
    pytest.param(["--segment", "PU", "--period", "2025-3", "--wage", "5000000"], "--period",
                 "TTTT-BB", id="malformed period"),
    pytest.param(["--segment", "PU", "--period", "2025-03", "--wage", "5000000",
                  "--risk-class", "6"], "--risk-class", "antara 1 dan 5", id="risk class 6"),
    pytest.param(["--segment", "PU", "--period", "2025-03", "--wage", "5000000",
                  "--income", "100"], "--income", "tidak berlaku untuk segmen PU",
                 id="income with PU"),
    pytest.param(["--segment", "PU", "--period", "2025-03"], "--wage", "wajib diisi",
                 id="missing wage"),
    pytest.param(["--segment", "BPU", "--period", "2025-03", "--income", "100000",
                  "--programs", "JP"], "--programs", "JP", id="JP for BPU"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "option", "words"), BAD_INPUTS)
def test_bad_input_exits_2_naming_the_field(args, option, words):
    # when
    status, out, err = run("contribution", *args)
    # then
    assert status == 2
    assert out == ""
    assert err.startswith(f"{option}: ")
    assert words in err
    assert "Traceback" not in err


def test_bad_input_message_follows_lang():
    status, _out, err = run("contribution", *CASES["PU"], "--income", "100", "--lang", "en")
    assert status == 2
    assert "--income: Income does not apply to segment PU." in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--segment", "NOPE", "--period", "2025-03", "--wage", "1"], "Segmen tidak dikenal"),
        (["--segment", "PU", "--period", "2025-03", "--wage", "5000000", "--income", "1"],
         "Penghasilan tidak berlaku untuk segmen PU"),
        (["--segment", "PU", "--period", "2015-06", "--wage", "5000000"], "Periode 2015-06"),
    ],
)  # fmt: skip
def test_console_script_refuses_bad_input_with_status_2(args, words):
    # when
    done = subprocess.run(
        [jamsos_script(), "calc", "contribution", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert done.returncode == 2
    assert done.stdout == ""
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_console_script_json_is_the_contract():
    done = subprocess.run(
        [jamsos_script(), "calc", "contribution", *CASES["PU"], "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert line(data, "JKK", "employer")["amount_idr"] == 12000
    assert done.stdout.count("\n") == 1


def test_argparse_errors_exit_2():
    done = subprocess.run(
        [jamsos_script(), "calc", "contribution", "--period", "2025-03"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--segment" in done.stderr


OPTIONS = (
    "--segment",
    "--period",
    "--wage",
    "--income",
    "--contract-value",
    "--placement-months",
    "--risk-class",
    "--employer-size",
    "--programs",
    "--industry",
    "--workers",
    "--not-jkp-eligible",
    "--lang",
    "--json",
)


def test_help_describes_options_defaults_and_an_example():
    done = subprocess.run(
        [jamsos_script(), "calc", "contribution", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    text = done.stdout
    for option in OPTIONS:
        assert option in text
    assert "default large" in text
    assert "default 1" in text
    assert "examples:" in text
    assert "jamsos calc contribution --segment PU --period 2025-03 --wage 5000000" in text


def test_calc_help_points_to_the_contribution_calculation():
    done = subprocess.run(
        [jamsos_script(), "calc", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert "contribution" in done.stdout
    assert "jamsos calc contribution --help" in done.stdout
