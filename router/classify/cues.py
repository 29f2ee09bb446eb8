"""Fast matching of a long list of cue phrases (regex fragments) at word starts.

One flat alternation of hundreds of phrases makes Python's `re` try every phrase at every
word start. `CueSet` compiles the same phrases as a one-level trie, grouped by their first
letter (`(?:a(?:nalyse|rchitect)|b(?:ug|...)|...)`), so each word start costs a few
character tests: the same matches, several times less work on a 1,000-token request.

    >>> CueSet(r"prove|derive|show that").found("please prove it and show that x > 0")
    {'prove', 'show that'}

A pattern that starts with a lookbehind is tried at every position of the text, and most
sets match at none of them. Every phrase that starts with a letter has a key: its first
characters, up to three, while they are literal (a letter or digit not made optional); a
match starts at a word start with its phrase's key. `WordStarts(low)` finds, once per ask
(of WALK_MIN_CHARS or more), where each text of one to three characters starts a word; a
set whose phrases all have keys is then not run when none of them starts a word, and is
otherwise tried only where one does, left to right, each attempt the one `findall` makes
there (a set with a phrase that starts otherwise is run over the whole text). The results
are the same as running every pattern over every position.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Below this length one pass of a pattern over the text costs less than finding the word
# starts and trying it at those that begin with one of its keys.
WALK_MIN_CHARS = 200
# The first one to three characters at each word start (as the phrases' `(?<![\w-])` has it).
_WORD_START = re.compile(r"(?<![\w-])(?=(((.).?).?))", re.DOTALL)


class WordStarts:
    """Where each text of one, two and three characters starts a word in `low`."""

    def __init__(self, low: str) -> None:
        at: dict[str, list[int]] = {}
        for m in _WORD_START.finditer(low):
            three, two, one = m.groups()
            p = m.start()
            at.setdefault(one, []).append(p)
            if two != one:  # shorter at the end of the text
                at.setdefault(two, []).append(p)
            if three != two:
                at.setdefault(three, []).append(p)
        self.at = at
        self.keys = frozenset(at)


def alternatives(phrases: str) -> list[str]:
    """The top-level alternatives of a regex fragment (a `|` inside brackets stays)."""
    out, depth, start, escaped = [], 0, 0, False
    for i, ch in enumerate(phrases):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(phrases[start:i])
            start = i + 1
    return [*out, phrases[start:]]


def _first_letter(phrase: str) -> str | None:
    """The literal first character of a phrase, or None when it starts with a class,
    a group or an escape (or is optional)."""
    if not phrase or not (phrase[0].isalnum()) or (len(phrase) > 1 and phrase[1] in "?*{"):
        return None
    return phrase[0]


def _key(phrase: str, letter: str) -> str:
    """What a match of the phrase (whose first letter is `letter`) starts with: its first
    characters up to three while each is a literal letter or digit that is not optional."""
    n = 1
    while n < 3 and len(phrase) > n and phrase[n].isalnum() and (
        len(phrase) == n + 1 or phrase[n + 1] not in "?*{"
    ):
        n += 1
    return phrase[:n] if n > 1 else letter


class CueSet:
    """Phrases matched at word starts (not inside a word or after a hyphen) and, unless
    `open_end`, ending at a word end; CJK phrases anywhere (no spaces there)."""

    def __init__(self, phrases: str, open_end: bool = False) -> None:
        end = "" if open_end else r"(?![\w])"
        by_letter: dict[str | None, list[str]] = {}
        cjk: list[str] = []
        for phrase in alternatives(phrases):
            if _CJK.match(phrase):
                cjk.append(phrase)
            else:
                by_letter.setdefault(_first_letter(phrase), []).append(phrase)
        branches = [
            f"{re.escape(letter)}(?:{'|'.join(p[1:] for p in group)})"
            for letter, group in sorted(by_letter.items(), key=lambda kv: kv[0] or "")
            if letter is not None
        ]
        branches += by_letter.get(None, [])
        self._pattern = (
            re.compile(rf"(?<![\w-])(?:{'|'.join(branches)}){end}") if branches else None
        )
        # None: some phrase starts with a class, a group or an escape (no key), or the pattern
        # has a capturing group (findall's items would be the groups, not whole matches).
        self._keys: frozenset[str] | None = (
            None
            if None in by_letter or (self._pattern is not None and self._pattern.groups)
            else frozenset(
                _key(p, letter) for letter, group in by_letter.items() if letter for p in group
            )
        )
        self._cjk = re.compile("|".join(cjk)) if cjk else None

    @staticmethod
    def _where(keys: frozenset[str], starts: WordStarts) -> list[int]:
        """The word starts, in order, where one of `keys` begins."""
        common = keys & starts.keys
        at = starts.at
        if len(common) == 1:
            return at[next(iter(common))]
        return sorted({p for k in common for p in at[k]})

    def found(self, low: str, starts: WordStarts | None = None) -> set[str]:
        """The distinct cue texts present in lower-cased `low` (whose `WordStarts` are
        `starts`, when the caller has them)."""
        hits: set[str] = set()
        pattern = self._pattern
        if pattern is None:
            pass
        elif starts is None or self._keys is None:
            hits.update(pattern.findall(low))
        elif self._keys.isdisjoint(starts.keys):
            pass
        else:
            end = 0
            for p in self._where(self._keys, starts):
                if p >= end and (m := pattern.match(low, p)) is not None:
                    hits.add(m.group())
                    end = m.end()
        if self._cjk is not None and _CJK.search(low):
            hits.update(self._cjk.findall(low))
        return hits

    def count(self, low: str, starts: WordStarts | None = None) -> int:
        return len(self.found(low, starts))

    def search(self, low: str, starts: WordStarts | None = None) -> bool:
        pattern = self._pattern
        if pattern is None:
            pass
        elif starts is None or self._keys is None:
            if pattern.search(low) is not None:
                return True
        elif self._keys.isdisjoint(starts.keys):
            pass
        elif any(pattern.match(low, p) is not None for p in self._where(self._keys, starts)):
            return True
        return self._cjk is not None and self._cjk.search(low) is not None
