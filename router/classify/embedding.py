"""The ask's static embedding: WordLlama's mean token embedding, read from its wheel.

The `wordllama` wheel (a main dependency, pyproject.toml) ships a 32,000-token x 256 float16
table (`l2_supercat`, Matryoshka-trained: the leading dimensions carry most of it) and its
tokenizer. Both files are read here with `safetensors` and `tokenizers`, found through the
import system without importing `wordllama` (its `__init__` calls logging.basicConfig); nothing
is downloaded. Only the first DIMS columns of the table are read (safe_open(...).get_slice),
as float32.

The vector of a text is the mean of its tokens' rows, exactly as WordLlama's
`WordLlamaInference.embed` pools (tokenizer without special tokens or truncation, ids clipped to
the table, mean over the tokens; 0 for a text without tokens). For latency a long text is
capped in characters, not tokens (the tokenizer's cost grows with the characters it reads): a
text longer than HEAD_CHARS + TAIL_CHARS is read as its first HEAD_CHARS and its last
TAIL_CHARS characters, each tokenized on its own (about 150 tokens each for English prose), so
a pasted log costs what a paragraph does.
Loaded once per process (`load`); a missing package or file raises EmbeddingUnavailable with
what to install.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "wordllama"
TABLE_FILE = "weights/l2_supercat_256.safetensors"
TABLE_KEY = "embedding.weight"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
# The leading columns of the 256 the tier model weighs (as good as all 256 on the traffic
# corpus across writers: docs/routing.md, Training).
DIMS = 64
# Characters read from each end of a long text (tokenizing costs ~0.2 us a character: the
# 1,000-token multiple-choice request of bench/classifier_latency.py read as 256 + 256 tokens
# put the classifier over its 2 ms p50 budget).
HEAD_CHARS = 600
TAIL_CHARS = 600


class EmbeddingUnavailable(RuntimeError):
    """The embedding's package or files are missing: says what to install."""


@dataclass(frozen=True)
class Embedding:
    """The table's first DIMS columns (float16, as stored) and the tokenizer."""

    table: np.ndarray
    tokenizer: Any

    def token_ids(self, text: str) -> list[int]:
        """The ids the vector pools: all of a short text's tokens; those of its first HEAD_CHARS
        and last TAIL_CHARS characters for a long one."""
        encode = self.tokenizer.encode
        if len(text) <= HEAD_CHARS + TAIL_CHARS:
            return list(encode(text, add_special_tokens=False).ids)
        head = encode(text[:HEAD_CHARS], add_special_tokens=False).ids
        tail = encode(text[-TAIL_CHARS:], add_special_tokens=False).ids
        return list(head) + list(tail)

    def vector(self, text: str) -> np.ndarray:
        """The mean token embedding of `text` (DIMS float64 values; zeros without tokens)."""
        import numpy as np

        ids = self.token_ids(text)
        if not ids:
            return np.zeros(self.table.shape[1])
        last = len(self.table) - 1
        if max(ids) > last:  # WordLlama clips ids to the table (this vocabulary's never pass it)
            ids = [min(i, last) for i in ids]
        # The mean (ndarray.mean's sum and division, without its Python-level overhead).
        rows = self.table[ids].astype(np.float32)
        return np.add.reduce(rows, axis=0, dtype=np.float64) / len(ids)


def package_dir() -> Path:
    """The installed wordllama package's folder, found without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(
            f"the classifier needs the {PACKAGE!r} package for its ask embedding "
            f"(pip install wordllama==0.4.0.post1, a dependency of tianji); it is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def load() -> Embedding:
    """The embedding, read once per process from the installed wheel."""
    import numpy as np

    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError as err:
        raise EmbeddingUnavailable(
            f"the classifier's ask embedding needs {err.name!r} (a dependency of tianji): "
            "pip install safetensors==0.8.0 tokenizers==0.23.3"
        ) from None
    folder = package_dir()
    table_path, tokenizer_path = folder / TABLE_FILE, folder / TOKENIZER_FILE
    for path in (table_path, tokenizer_path):
        if not path.is_file():
            raise EmbeddingUnavailable(
                f"{path} is missing: reinstall wordllama==0.4.0.post1 (the classifier reads its "
                "embedding table and tokenizer)"
            )
    with safe_open(str(table_path), framework="np") as f:
        table = np.ascontiguousarray(f.get_slice(TABLE_KEY)[:, :DIMS], dtype=np.float16)
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # The BPE model's cache keeps each distinct short text it has read (up to 10,000 of them,
    # ~7 KB each: +70 MB of RSS after 10,000 distinct asks) and reads a repeated one no faster.
    tokenizer.model._resize_cache(0)
    return Embedding(table, tokenizer)
