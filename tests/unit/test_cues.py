"""Cue sets tried only at the word starts their phrases can begin at find what a pass of the
whole pattern finds (router/classify/cues.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from router.classify import taxonomy
from router.classify.cues import WALK_MIN_CHARS, CueSet, WordStarts

ROOT = Path(__file__).resolve().parents[2]


def _all_sets() -> list[CueSet]:
    sets = [s for pair in taxonomy._KIND.values() for s in pair]
    sets += [s for pair in taxonomy._DOMAIN.values() for s in pair]
    sets += [*taxonomy._DOMAIN_MULTI.values(), taxonomy._CONSTRAINT,
             taxonomy._CONSTRAINT_MULTI, taxonomy._LOOKUP, taxonomy._LONG_FORM]
    return sets


def _asks() -> list[str]:
    """The asks of the open-traffic requests (long and short), lower-cased."""
    rows = (ROOT / "tests" / "open_traffic" / "requests.jsonl").read_text().splitlines()
    return [taxonomy.request_ask(json.loads(row)).lower() for row in rows]


def test_every_set_finds_the_same_cues_with_and_without_the_word_starts():
    asks = _asks()
    assert sum(len(a) >= WALK_MIN_CHARS for a in asks) > 50  # the walk is exercised
    for low in asks:
        starts = WordStarts(low)
        for cues in _all_sets():
            assert cues.found(low, starts) == cues.found(low), low[:80]
            assert cues.search(low, starts) == cues.search(low), low[:80]


@pytest.mark.parametrize("text", [
    "please prove it, and show that x > 0; " * 8,  # long: tried at word starts only
    "re-prove it and disprove it; " * 10,  # inside a word or after a hyphen: not a cue
    "prove",
])
def test_a_set_finds_phrases_at_word_starts_only(text):
    cues = CueSet(r"prove|derive|show that|x")
    expected = {c for c in ("prove", "derive", "show that", "x") if f" {c} " in f" {text} "}
    assert cues.found(text, WordStarts(text)) == expected == cues.found(text)


def test_overlapping_matches_are_taken_left_to_right_as_findall_does():
    cues = CueSet(r"state of|of the art|state")
    text = "the state of the art in typesetting, " * 8
    assert cues.found(text, WordStarts(text)) == set(cues._pattern.findall(text)) == {"state of"}
