"""The active speaker follows who talks, without flickering between voices."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feeds.conference.speaker import ActiveSpeaker


def test_a_voice_takes_the_floor_after_talking_on_and_silence_keeps_the_last_speaker():
    speaker = ActiveSpeaker(hold_s=0.3, switch_s=1.0)
    assert speaker.talking(1, 0.0) is None  # not yet: a cough is not a speaker
    assert speaker.update(0.35) == 1
    assert speaker.talking(2, 0.5) == 1  # someone else starts
    assert speaker.update(1.2) == 1  # …but not for long enough
    assert speaker.stopped(2, 1.3) == 1  # and stops: no switch at all
    assert speaker.stopped(1, 2.0) == 1  # silence keeps the last speaker on screen
    assert speaker.talking(2, 3.0) == 1
    assert speaker.update(3.31) == 2  # the floor was free: the hold time only
    assert speaker.left(2, 4.0) is None


@given(st.lists(st.tuples(st.sampled_from(["talk", "stop"]), st.integers(1, 3), st.floats(0.01, 0.2)),
                max_size=60))
def test_a_speaker_still_talking_is_replaced_only_by_a_longer_voice(events):
    """The hysteresis: while the speaker talks on, another takes over only after talking switch_s longer."""
    speaker = ActiveSpeaker(hold_s=0.3, switch_s=1.0)
    now, talking_since, current = 0.0, {}, None
    for kind, who, step in events:
        now += step
        if kind == "talk":
            talking_since.setdefault(who, now)
            after = speaker.talking(who, now)
        else:
            talking_since.pop(who, None)
            after = speaker.stopped(who, now)
        if after != current:
            assert after is not None and after in talking_since  # only someone talking takes the floor
            needed = 1.0 if current in talking_since else 0.3
            assert now - talking_since[after] >= needed - 1e-9
            current = after
