"""The SOP library: the bundled procedures, broken files, and which procedure an alert gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.alerts.procedures import SopLibrary, checked_steps, is_done
from feeds.core.records import AlertAction
from tests.support.paths import ROOT

BUNDLED = ROOT / "resources" / "sop"

PROCEDURE = """
id = "{id}"
title = "Quy trình {id}"
title_en = "Procedure {id}"
applies_to = {applies_to}
[[steps]]
role = "Trực ban IOC"
role_en = "IOC duty officer"
do = "Kiểm tra"
do_en = "Check"
"""


def write(folder: Path, name: str, procedure_id: str, applies_to: str = "[]") -> None:
    (folder / name).write_text(PROCEDURE.format(id=procedure_id, applies_to=applies_to), encoding="utf-8")


def test_bundled_library_is_valid_and_bilingual():
    library = SopLibrary.load(BUNDLED)
    assert library.errors == []
    assert len(library.procedures) >= 6 and library.get("default") is not None
    for procedure in library.procedures.values():
        assert procedure.title and procedure.title_en and procedure.title != procedure.title_en
        assert 3 <= len(procedure.steps) <= 6, procedure.id
        for step in procedure.steps:
            assert step.role and step.role_en and step.do and step.do_en
            assert step.do != step.do_en  # both languages written, not copied
    # Vietnamese text kept its diacritics through the TOML reader
    assert "ô nhiễm" in library.get("khong-khi-o-nhiem").title


@pytest.mark.parametrize(("alert_type", "domain", "expected"), [
    ("aqi", "air", "khong-khi-o-nhiem"),
    ("cod", "discharge", "nuoc-thai-vuot-nguong"),
    ("violating", "vessel", "tau-ca-vuot-ranh-gioi"),
    ("near_boundary", "vessel", "tau-ca-vuot-ranh-gioi"),
    ("lost_signal", "vessel", "tau-ca-mat-tin-hieu"),
    ("distress", "vessel", "tau-ca-gap-nan"),
    ("camera_offline", "camera", "camera-mat-tin-hieu"),
    ("nodata", "feeds", "nguon-du-lieu-im-lang"),
    ("overdue", "feedback", "default"),
])
def test_bundled_procedures_cover_the_alert_types(alert_type, domain, expected):
    assert SopLibrary.load(BUNDLED).for_alert(alert_type, domain).id == expected


def test_broken_file_is_skipped_with_an_error_naming_it(tmp_path, caplog):
    write(tmp_path, "good.toml", "good")
    (tmp_path / "syntax.toml").write_text('id = "x"\ntitle = ', encoding="utf-8")
    (tmp_path / "nosteps.toml").write_text('id = "y"\ntitle = "Y"\ntitle_en = "Y"\n', encoding="utf-8")
    (tmp_path / "halfstep.toml").write_text(PROCEDURE.format(id="z", applies_to="[]").replace('do_en = "Check"', ""),
                                            encoding="utf-8")
    write(tmp_path, "twin.toml", "good")
    library = SopLibrary.load(tmp_path)
    assert list(library.procedures) == ["good"]
    assert library.get("good").file.endswith("good.toml")
    assert len(library.errors) == 4
    for name, reason in (("syntax.toml", ""), ("nosteps.toml", "steps"), ("halfstep.toml", "step 1: 'do_en'"),
                         ("twin.toml", "already defined")):
        assert any(name in error and reason in error for error in library.errors), (name, library.errors)
    assert "syntax.toml" in caplog.text


def test_for_alert_precedence(tmp_path):
    write(tmp_path, "a.toml", "by-type", '["aqi"]')
    write(tmp_path, "b.toml", "by-domain", '["domain:air", "domain:vessel"]')
    write(tmp_path, "c.toml", "explicit")
    library = SopLibrary.load(tmp_path)
    assert library.for_alert("aqi", "air", procedure="explicit").id == "explicit"
    assert library.for_alert("aqi", "air").id == "by-type"
    assert library.for_alert("pm10", "air").id == "by-domain"
    assert library.for_alert("aqi", "air", procedure="missing").id == "by-type"  # an unknown id falls through
    assert library.for_alert("cod", "discharge") is None  # no default procedure in this folder
    write(tmp_path, "d.toml", "default")
    assert SopLibrary.load(tmp_path).for_alert("cod", "discharge").id == "default"


def test_checked_steps_reads_the_first_tick_of_each_step_of_this_procedure():
    procedure = SopLibrary.load(BUNDLED).get("tau-ca-gap-nan")

    def step(action_id: str, step: object, ts: float, procedure_id: str = procedure.id, kind: str = "sop_step"):
        return AlertAction(id=action_id, alert_id="a", action=kind, by=f"user-{action_id}", ts=ts,
                           data={"procedure": procedure_id, "step": step})

    history = [step("late", 0, 20.0), step("early", 0, 10.0), step("other", 1, 5.0, "default"),
               step("bad", 99, 5.0), step("two", 2, 30.0)]
    checked = checked_steps(procedure, history)
    assert {i: a.by for i, a in checked.items()} == {0: "user-early", 2: "user-two"}
    assert not is_done(procedure, history)
    assert is_done(procedure, [*history, step("done", None, 40.0, kind="sop_done")])


@pytest.mark.parametrize(("alert_type", "domain", "procedure"), [
    ("aqi", "air", "khong-khi-o-nhiem"),
    ("cod", "discharge", "nuoc-thai-vuot-nguong"),
    ("boundary", "vessel", "tau-ca-vuot-ranh-gioi"),
    ("lost_signal", "vessel", "tau-ca-mat-tin-hieu"),
    ("distress", "vessel", "tau-ca-gap-nan"),
    ("signal", "camera", "camera-mat-tin-hieu"),
    ("link", "feeds", "nguon-du-lieu-im-lang"),
    ("nodata", "econ", "nguon-du-lieu-im-lang"),
])
def test_every_alert_the_program_raises_itself_has_its_procedure(alert_type, domain, procedure):
    assert SopLibrary.load(BUNDLED).for_alert(alert_type, domain).id == procedure
