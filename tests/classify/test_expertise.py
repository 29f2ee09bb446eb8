"""The learned expertise signal (router/classify/expertise.py) through the shipped weights.

The prompts are written for these tests: expert questions in vocabulary the lexicons do not
list (the reading finds no expert term in them), each set against an everyday ask of the same
number of words.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from router.classify import expertise
from router.classify.base import prompt_request
from router.classify.learned import EXPERT_LOGIT
from router.classify.taxonomy import read_request

from .test_open_traffic import tier_of

# (expert ask in vocabulary the lexicons lack, everyday ask of the same length in words)
PAIRS = (
    (
        "Which ligands stabilise low-valent iridium pincer complexes during C-H activation?",
        "Which snacks are good for a long family road trip?",
    ),
    (
        "What causes the hyperpolarisation-activated cation current in sinoatrial nodal myocytes?",
        "What should I pack for a weekend camping trip?",
    ),
    (
        "How should a sonographer distinguish placenta accreta from increta on ultrasound?",
        "How should I decorate a small living room on a tight budget?",
    ),
    (
        "When is a Kasai portoenterostomy preferred over primary liver transplantation?",
        "Does a wooden spoon over a pot stop it boiling over?",
    ),
)


def words_of(text: str) -> int:
    return len(expertise.ask_words(text))


@pytest.mark.parametrize(("expert", "everyday"), PAIRS)
def test_expert_vocabulary_the_lexicon_lacks_reads_above_an_everyday_ask(learned, expert, everyday):
    assert abs(words_of(expert) - words_of(everyday)) <= 1
    assert read_request(prompt_request(expert), expert).expert_terms == 0  # not in the lexicon
    raw_expert, strength_expert = learned.expert_strength(expert)
    raw_everyday, strength_everyday = learned.expert_strength(everyday)
    assert raw_expert > raw_everyday
    assert strength_expert > 0.0 and strength_everyday == 0.0
    hard, easy = learned.score(prompt_request(expert)), learned.score(prompt_request(everyday))
    assert hard.signals["prior.expertise_learned"] == pytest.approx(
        learned.expert_logit * strength_expert, abs=1e-3
    )
    assert hard.signals["prior.expertise_learned"] > 0.0 == easy.signals["prior.expertise_learned"]
    assert hard.confidence < easy.confidence


@pytest.mark.parametrize(("expert", "everyday"), PAIRS)
def test_an_expert_sounding_ask_leaves_the_small_tier_and_an_everyday_one_stays(
    learned, expert, everyday
):
    assert tier_of(learned, prompt_request(expert)) != "small"
    # "Which snacks are good for a long family road trip?" scores 0.30 since the ask embedding,
    # and "Does a wooden spoon over a pot stop it boiling over?" 0.32 since the five-writer
    # refit (medium: docs/routing.md); an everyday ask never reaches the top tier.
    moved = ("snacks" in everyday, "wooden spoon" in everyday)
    assert tier_of(learned, prompt_request(everyday)) == "small" or any(moved)
    assert tier_of(learned, prompt_request(everyday)) != "large"


def test_the_signal_is_bounded_and_reads_no_text_it_is_given_to_transform(learned):
    ask = "Which ligands stabilise low-valent iridium pincer complexes during C-H activation?"
    assert learned.score(prompt_request(ask)).signals["prior.expertise_learned"] <= max(
        learned.expert_logit, EXPERT_LOGIT
    )
    translate = learned.score(prompt_request(f"Translate into German: {ask}"))
    assert translate.signals["prior.expertise_learned"] == 0.0
    assert learned.expert_strength("hi")[1] == 0.0  # too short to read


def test_only_the_first_words_of_the_ask_count(learned):
    head = "How should a sonographer distinguish placenta accreta from increta on ultrasound? "
    padded = head + "Please answer. " * 200
    assert len(expertise.ask_words(padded)) == expertise.ASK_WORDS
    assert learned.expert_strength(padded) == learned.expert_strength(
        " ".join(expertise.ask_words(padded))
    )


def test_the_embedding_comparison_reads_the_wheels_files_offline():
    """`bench/expertise_heldout.py --features embedding|both` (the comparison behind the
    "tried and not kept" paragraph of docs/routing.md) reads the table and tokenizer inside the
    wordllama wheel, without importing wordllama (it configures logging) or downloading."""
    from bench import expertise_heldout as bench

    table = bench.embedding_table()
    assert table.shape == (32000, 256)
    asks = [PAIRS[0][0], PAIRS[0][1], "hi"]
    rows = bench.mean_embeddings(asks, table)
    assert rows.shape == (3, 256) and np.isfinite(rows).all()
    assert not np.allclose(rows[0], rows[1])
    x = bench.design(asks, "both", table)
    assert x.shape == (3, expertise.HASH_BUCKETS + 256)
    assert "wordllama" not in sys.modules
