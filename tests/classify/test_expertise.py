"""The learned expertise signal (router/classify/expertise.py) through the shipped weights.

The prompts are written for these tests: expert questions in vocabulary the lexicons do not
list (the reading finds no expert term in them), each set against an everyday ask of the same
number of words.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
        EXPERT_LOGIT * strength_expert, abs=1e-3
    )
    assert hard.signals["prior.expertise_learned"] > 0.0 == easy.signals["prior.expertise_learned"]
    assert hard.confidence < easy.confidence


@pytest.mark.parametrize(("expert", "everyday"), PAIRS)
def test_an_expert_sounding_ask_leaves_the_small_tier_and_an_everyday_one_stays(
    learned, expert, everyday
):
    assert tier_of(learned, prompt_request(expert)) != "small"
    assert tier_of(learned, prompt_request(everyday)) == "small"


def test_the_signal_is_bounded_and_reads_no_text_it_is_given_to_transform(learned):
    ask = "Which ligands stabilise low-valent iridium pincer complexes during C-H activation?"
    assert learned.score(prompt_request(ask)).signals["prior.expertise_learned"] <= EXPERT_LOGIT
    translate = learned.score(prompt_request(f"Translate into German: {ask}"))
    assert translate.signals["prior.expertise_learned"] == 0.0
    assert learned.expert_strength("hi")[1] == 0.0  # too short to read


def test_only_the_first_words_of_the_ask_count(learned):
    head = "How should a sonographer distinguish placenta accreta from increta on ultrasound? "
    padded = head + "Please answer. " * 200
    assert len(expertise.ask_words(padded)) == expertise.ASK_WORDS
    first = expertise.ask_head(padded)
    assert first.endswith("answer. Please") and len(expertise.ask_words(first)) == 60
    assert learned.expert_strength(padded) == learned.expert_strength(first)
    assert learned.expert_strength(padded) != learned.expert_strength(first[: -len(" Please")])


def test_the_shipped_token_weights_score_as_the_fitted_embedding_does(shared_data):
    """The fit reads the mean token embedding; the gateway reads one weight per token. Fitted on
    a few hundred training asks, both give the same raw score to asks the fit did not see."""
    asks, labels, _ = expertise.training_asks(shared_data)
    train = np.arange(len(asks)) % 12 == 0
    table = expertise.embedding_table()
    x = expertise.design(asks, "both", table)
    coef, bias = expertise.fit_design(x[train], labels[train])
    assert np.abs(coef[expertise.HASH_BUCKETS :]).max() > 0.01  # the embedding part is used
    shipped = expertise.shipped(coef, table)
    assert shipped.shape == (expertise.COEF_SIZE,)
    unseen = np.flatnonzero(~train)[::50]
    for i in unseen:
        if len(expertise.ask_words(asks[i])) >= expertise.MIN_WORDS:
            expected = float((x[i] @ coef)[0]) + bias
            assert expertise.raw_score(shipped, bias, asks[i]) == pytest.approx(expected, abs=1e-9)


def test_the_fit_reproduces_the_shipped_signal(shared_data):
    """`router train` refits the signal with expertise.fit: it gives the shipped weights exactly."""
    from router.classify.learned import DEFAULT_WEIGHTS

    coef, bias, meta = expertise.fit(shared_data)
    with np.load(DEFAULT_WEIGHTS, allow_pickle=False) as f:
        np.testing.assert_array_equal(coef, f["expert_coef"])
        assert np.float32(bias) == f["expert_bias"][0]
        shipped_meta = json.loads(str(f["meta"]))
    assert {k: v for k, v in shipped_meta.items() if k in meta} == meta


def test_weights_of_another_shape_are_refused():
    with pytest.raises(ValueError, match="retrain"):
        expertise.raw_score(np.zeros(expertise.HASH_BUCKETS), 0.0, "Which ligands stabilise it?")


LAZY = """
import json, sys
from router.classify import expertise, load_classifier
clf = load_classifier("learned")
loaded = expertise._tokenizer.cache_info().currsize
clf.score({"messages": [{"role": "user", "content": "hi"}]})
after_hi = expertise._tokenizer.cache_info().currsize
ask = "When is a Kasai portoenterostomy preferred over primary liver transplantation?"
clf.score({"messages": [{"role": "user", "content": ask}]})
print(json.dumps([loaded, after_hi, expertise._tokenizer.cache_info().currsize,
                  "wordllama" in sys.modules, "safetensors" in sys.modules]))
"""


def test_the_tokenizer_loads_on_the_first_ask_it_reads_and_wordllama_is_never_imported():
    """Loading the classifier reads no tokenizer (start-up stays fast); the first ask of three or
    more words reads it; the wordllama module (which configures logging on import) and the
    embedding table are never loaded at run time."""
    out = subprocess.run(
        [sys.executable, "-c", LAZY],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [0, 0, 1, False, False]
