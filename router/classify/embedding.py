"""The ask's static embedding: WordLlama's mean token embedding, read from its wheel.

The `wordllama` wheel (a main dependency, pyproject.toml) ships a 32,000-token x 256 float16
table (`l2_supercat`, Matryoshka-trained: the leading dimensions carry most of it) and its
tokenizer. Both files are found through the import system without importing `wordllama` (its
`__init__` calls logging.basicConfig); nothing is downloaded. The tokenizer is read with
`tokenizers`; the table's file is read as the safetensors format lays it out (`read_table`: the
library's import would cost ~1.5 MB of RSS for one slice of one tensor). Only the first DIMS
columns of the table are kept, as the wheel stores them, float16 (4 MB); a text's rows are
widened to float32 (exactly) and summed in float64, so the vector is the one a float32 table
gives.

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
import json
import struct
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


def read_table(path: Path) -> np.ndarray:
    """The first DIMS columns of the file's float16 table: safetensors' layout is an 8-byte
    little-endian header size, a JSON header giving each tensor's dtype, shape and byte offsets
    (from the end of the header), then the tensors' bytes."""
    import numpy as np

    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        entry = json.loads(f.read(size)).get(TABLE_KEY) or {}
    shape = entry.get("shape") or []
    begin, end = entry.get("data_offsets") or (0, 0)
    if entry.get("dtype") != "F16" or len(shape) != 2 or end - begin != shape[0] * shape[1] * 2:
        raise EmbeddingUnavailable(
            f"{path} does not hold the float16 table this version reads: reinstall "
            "wordllama==0.4.0.post1"
        )
    stored = np.memmap(path, dtype="<f2", mode="r", offset=8 + size + begin, shape=tuple(shape))
    return np.ascontiguousarray(stored[:, :DIMS], dtype=np.float16)


@functools.cache
def load() -> Embedding:
    """The embedding, read once per process from the installed wheel."""
    try:
        from tokenizers import Tokenizer
    except ImportError as err:
        raise EmbeddingUnavailable(
            f"the classifier's ask embedding needs {err.name!r} (a dependency of tianji): "
            "pip install tokenizers==0.23.3"
        ) from None
    folder = package_dir()
    table_path, tokenizer_path = folder / TABLE_FILE, folder / TOKENIZER_FILE
    for path in (table_path, tokenizer_path):
        if not path.is_file():
            raise EmbeddingUnavailable(
                f"{path} is missing: reinstall wordllama==0.4.0.post1 (the classifier reads its "
                "embedding table and tokenizer)"
            )
    table = read_table(table_path)
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # The BPE model's cache keeps each distinct short text it has read (up to 10,000 of them,
    # ~6 KB each: +57 MB of RSS after 10,000 distinct asks of ~120 characters,
    # docs/performance.md) and reads a repeated one no faster.
    tokenizer.model._resize_cache(0)
    return Embedding(table, tokenizer)
