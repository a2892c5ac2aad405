"""Poll rules that need no storage: the options of a method, whether a choice is valid, the count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from feeds.meetings.records import YES_NO_ABSTAIN, Poll, PollMethod

MAX_OPTIONS = 50
MAX_OPTION_CHARS = 200


class PollError(ValueError):
    """A poll that cannot be made as asked, or a choice that does not fit its poll."""


def poll_options(method: PollMethod, options: Sequence[str], max_choices: int) -> tuple[tuple[str, ...], int]:
    """The options and the number of choices a poll of METHOD really has, or PollError."""
    if method is PollMethod.YES_NO_ABSTAIN:
        return YES_NO_ABSTAIN, 1
    cleaned = tuple(str(o).strip() for o in options)
    if len(cleaned) < 2:
        raise PollError("a choice poll needs at least two options")
    if len(cleaned) > MAX_OPTIONS:
        raise PollError(f"a poll has at most {MAX_OPTIONS} options")
    if any(not o or len(o) > MAX_OPTION_CHARS for o in cleaned):
        raise PollError(f"each option needs a text of 1 to {MAX_OPTION_CHARS} characters")
    if len(set(cleaned)) != len(cleaned):
        raise PollError("two options have the same text")
    if not 1 <= max_choices <= len(cleaned):
        raise PollError(f"max_choices must be between 1 and {len(cleaned)}")
    return cleaned, max_choices


def check_choice(poll: Poll, choice: Sequence[int]) -> tuple[int, ...]:
    """CHOICE as the sorted option indexes it names, or PollError saying what is wrong with it."""
    if any(isinstance(c, bool) or not isinstance(c, int) for c in choice):
        raise PollError("a choice is a list of option numbers")
    picked = tuple(sorted(set(choice)))
    if len(picked) != len(choice):
        raise PollError("the same option is chosen twice")
    if any(not 0 <= c < len(poll.options) for c in picked):
        raise PollError(f"options are numbered 0 to {len(poll.options) - 1}")
    if poll.method is PollMethod.YES_NO_ABSTAIN and len(picked) != 1:
        raise PollError("choose exactly one of yes, no and abstain")
    if len(picked) > poll.max_choices:
        raise PollError(f"choose at most {poll.max_choices} options")
    if poll.method is PollMethod.CHOICE and not picked and poll.max_choices == 1:
        raise PollError("choose one option")
    return picked


def count(poll: Poll, choices: Iterable[Sequence[int]]) -> tuple[int, ...]:
    """How many ballots chose each option."""
    counts = [0] * len(poll.options)
    for choice in choices:
        for c in choice:
            counts[c] += 1
    return tuple(counts)
