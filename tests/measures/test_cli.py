"""The `alongside measures` command: list, score, score --csv and outcome, with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("measures", *args, stdout=out)
    return out.getvalue()


def test_list_names_every_instrument_with_items_and_licence():
    lines = run("list").splitlines()
    codes = [line.split("\t")[0] for line in lines]
    assert codes == sorted(
        [
            "phq9",
            "phq2",
            "gad7",
            "gad2",
            "pcl5",
            "who5",
            "k10",
            "dass21",
            "pss10",
            "auditc",
            "phq15",
            "wsas",
            "core10",
            "cssrs",
        ]
    )
    phq9 = next(line for line in lines if line.startswith("phq9\t"))
    assert "10 items" in phq9
    assert "Pfizer" in phq9


def test_score_prints_one_json_object():
    """PHQ-9 nine items plus the difficulty item (Kroenke 2001 bands; NHS Talking Therapies caseness)."""
    data = json.loads(run("score", "phq9", "1", "2", "1", "0", "1", "1", "0", "0", "1", "1"))
    assert data == {
        "instrument": "phq9",
        "total": 7,
        "severity": "mild",
        "subscales": {},
        "critical_items": [9],
        "caseness": False,
    }


def test_score_with_skipped_items_and_instrument_results():
    data = json.loads(run("score", "cssrs", "1", "0", "-", "-", "-", "1", "0"))
    assert data["risk_level"] == "moderate"
    assert data["critical_items"] == [6]
    data = json.loads(run("score", "who5", "3", "3", "3", "3", "3"))
    assert (data["total"], data["raw"], data["severity"]) == (60, 15, None)


def test_auditc_sex_option():
    """Bradley et al. 2007: >= 4 men, >= 3 women."""
    assert json.loads(run("score", "auditc", "1", "1", "1", "--sex", "female"))["caseness"] is True
    assert json.loads(run("score", "auditc", "1", "1", "1", "--sex", "male"))["caseness"] is False
    assert json.loads(run("score", "auditc", "1", "1", "1"))["caseness"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "phq9", "4", "0", "0", "0", "0", "0", "0", "0", "0"], "item 1: 4 is not one of the answers"),
        (["score", "phq9", "0", "0"], "expected 9 to 10 answers, got 2"),
        (["score", "phq9", *["0"] * 9, "1"], "item 10 is asked only when the total is > 0"),
        (["score", "cssrs", "0", "0", "1", "-", "-", "0", "-"], "item 3 is asked only when item 2 = 1"),
        (["score", "nosuch", "1"], "unknown instrument 'nosuch'"),
        (["score", "phq9"], "no answers given"),
        (["outcome", "--phq9", "30", "1", "--gad7", "1", "1"], "PHQ-9 first must be a whole number from 0 to 27"),
    ],
)
def test_invalid_input_is_a_command_error_with_status_2(args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)


def test_outcome_prints_the_paired_outcome():
    data = json.loads(run("outcome", "--phq9", "16", "8", "--gad7", "12", "6"))
    assert data == {
        "caseness_start": True,
        "caseness_end": False,
        "recovery": True,
        "reliable_improvement": True,
        "reliable_deterioration": False,
        "reliable_recovery": True,
    }


CSV = """client,date,1,2,3,4,5,6,7,8,9,10
a,2026-01-05,1,1,1,1,1,1,1,1,1,2
b,2026-01-06,0,0,0,0,0,0,0,0,0,
c,2026-01-07,0,0,0,0,0,0,0,0,0,1
d,2026-01-08,4,0,0,0,0,0,0,0,0,
e,2026-01-09,3,3,3,3,3,3,3,3,0,-
"""


def test_csv_scores_good_rows_and_rejects_bad_ones_by_line(tmp_path, capsys):
    """Good rows still print; each bad row is named by its line; then the command exits 2."""
    path = tmp_path / "in.csv"
    path.write_text(CSV)
    out = StringIO()
    with pytest.raises(CommandError, match=r"line 5: PHQ-9 item 1: 4 is not one of the answers") as caught:
        call_command("measures", "score", "phq9", "--csv", str(path), stdout=out)
    assert caught.value.returncode == 2
    assert "2 bad row(s)" in str(caught.value)
    assert "line 4: PHQ-9 item 10 is asked only when" in capsys.readouterr().err
    assert out.getvalue().splitlines() == [
        "client,date,total,severity,caseness,critical_items",
        "a,2026-01-05,9,mild,false,[9]",
        "b,2026-01-06,0,minimal,false,[]",
        "e,2026-01-09,24,severe,true,[]",
    ]


def test_csv_with_link_id_columns_and_subscales(tmp_path):
    header = ",".join(f"dass21-{i}" for i in range(1, 22))
    path = tmp_path / "dass.csv"
    path.write_text(f"id,{header}\nx,{','.join(['1'] * 21)}\n")
    lines = run("score", "dass21", "--csv", str(path)).splitlines()
    assert lines[0] == "id,total,severity,caseness,critical_items,anxiety,depression,stress,subscale_severity"
    assert lines[1].startswith("x,42,,,[],14,14,14,")


def test_csv_missing_a_required_column_is_refused(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("1,2\n0,0\n")
    with pytest.raises(CommandError, match="no column for GAD-7 item gad7-3"):
        run("score", "gad7", "--csv", str(path))


def test_csv_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("score", "gad7", "--csv", str(tmp_path / "absent.csv"))


def test_real_command_line_exit_status_and_stderr():
    """Through the real entry point: exit 2 and one line on stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "alongside.cli", "measures", "score", "gad7", "1", "1", "1", "1", "1", "1", "9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == ["CommandError: GAD-7 item 7: 9 is not one of the answers (0, 1, 2, 3)"]
    proc = subprocess.run(
        [sys.executable, "-m", "alongside.cli", "measures", "score", "gad7", "1", "1", "1", "1", "1", "1", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["total"] == 9
