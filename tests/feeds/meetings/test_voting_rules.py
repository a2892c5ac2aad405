"""Poll rules, signed records and the [office] section, without a service."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.core.config import ConfigError, SectionContext
from feeds.meetings.records import Poll, PollMethod
from feeds.meetings.settings import parse_office
from feeds.meetings.signing import ResultSigner, verify_record
from feeds.meetings.voting import PollError, check_choice, count, poll_options

YNA = Poll("p", "m", "Thông qua", PollMethod.YES_NO_ABSTAIN, ("Đồng ý", "Không đồng ý", "Không biểu quyết"))
TWO_OF_FOUR = Poll("q", "m", "Chọn", PollMethod.CHOICE, ("A", "B", "C", "D"), max_choices=2)


@pytest.mark.parametrize(("poll", "choice", "problem"), [
    (YNA, [], "exactly one"), (YNA, [0, 1], "exactly one"), (YNA, [3], "numbered 0 to 2"),
    (TWO_OF_FOUR, [0, 1, 2], "at most 2"), (TWO_OF_FOUR, [1, 1], "twice"), (TWO_OF_FOUR, [-1], "numbered"),
    (TWO_OF_FOUR, [True], "option numbers"), (TWO_OF_FOUR, ["0"], "option numbers"),
])
def test_a_choice_that_does_not_fit_its_poll_is_refused(poll, choice, problem):
    with pytest.raises(PollError, match=problem):
        check_choice(poll, choice)


def test_choices_are_counted_per_option():
    assert check_choice(TWO_OF_FOUR, [3, 1]) == (1, 3)
    assert check_choice(TWO_OF_FOUR, []) == ()  # a blank ballot in an up-to-k poll
    assert count(TWO_OF_FOUR, [(1, 3), (3,), ()]) == (0, 1, 0, 2)


@pytest.mark.parametrize(("options", "k", "problem"), [
    (["A"], 1, "at least two"), (["A", "A"], 1, "same text"), (["A", ""], 1, "1 to 200"),
    (["A", "B"], 3, "between 1 and 2"), ([str(i) for i in range(51)], 1, "at most 50"),
])
def test_a_poll_that_cannot_be_made_says_why(options, k, problem):
    with pytest.raises(PollError, match=problem):
        poll_options(PollMethod.CHOICE, options, k)
    assert poll_options(PollMethod.YES_NO_ABSTAIN, options, k)[1] == 1  # yes/no/abstain ignores them


@given(st.lists(st.integers(min_value=-3, max_value=6), max_size=6))
def test_any_choice_is_either_refused_or_fits_the_poll(choice):
    try:
        picked = check_choice(TWO_OF_FOUR, choice)
    except PollError:
        return
    assert len(picked) <= 2 and all(0 <= c < 4 for c in picked) and list(picked) == sorted(set(choice))


def test_a_signed_record_fails_on_any_change_and_with_another_key(tmp_path: Path):
    signer = ResultSigner(tmp_path)
    signed = signer.sign({"poll": "p", "tally": {"counts": [3, 1, 0]}, "title": "Thông qua"})
    assert verify_record(signed, signer.public).valid
    assert (tmp_path / "result-signing.pem").stat().st_mode & 0o777 == 0o600
    changed = {**signed, "record": {**signed["record"], "tally": {"counts": [1, 3, 0]}}}
    assert not verify_record(changed, signer.public).valid
    (tmp_path / "elsewhere").mkdir()
    forger = ResultSigner(tmp_path / "elsewhere")
    forged = forger.sign(changed["record"])
    assert verify_record(forged).valid  # right by the key it names…
    assert "not the office service's" in verify_record(forged, signer.public).reason  # …but not by the site's
    assert not verify_record({"record": {}, "signature": "!!", "key": "x"}, signer.public).valid
    assert not verify_record([1, 2], signer.public).valid
    again = ResultSigner(tmp_path)  # the key is kept: a restarted service signs with the same one
    assert again.public == signer.public
    assert base64.b64decode((tmp_path / "result-signing.pub").read_text()) == signer.public


@pytest.mark.parametrize(("table", "key"), [
    ({"listen": "8443"}, "office.listen"), ({"listen": "h:99999"}, "office.listen"),
    ({"url": "ftp://x"}, "office.url"), ({"certfile": "a.pem"}, "office.certfile"),
    ({"session_hours": 0}, "office.session_hours"), ({"max_paper_mb": 0}, "office.max_paper_mb"),
    ({"signing": {"module": "/nope.so", "token_label": "t", "key_label": "k"}}, "office.signing.module"),
    ({"signing": {"module": "/bin/sh", "token_label": "t", "key_label": "k", "pin": "1234"}},
     "office.signing.pin"),
    ({"colour": "red"}, "office.colour"),
])
def test_office_settings_name_the_key_that_is_wrong(table, key):
    with pytest.raises(ConfigError) as error:
        parse_office(table, SectionContext("site.toml"))
    assert key in str(error.value)
