"""Final-answer extraction and agreement for the verified cascade (pure functions, no I/O).

A verified cascade accepts a cheap model's answer when a second cheap model, from another
vendor, reaches the same final answer. This module finds the final answer in a model's output
and says whether two answers agree:

    >>> a = extract('{"reasoning": "7 + 5 = 12", "answer": "$12.00"}', "numeric")
    >>> b = extract("... so she pays 12 dollars.\\n\\nThe answer is 12.", "numeric")
    >>> agree(a, b), explain(a, b)
    (True, "agree: numeric '$12.00' (json) = '12' (phrase)")

Where the answer is looked for, first hit wins (the JSON rules are those behind the `correct`
column of ../shared/data/zeroeval_tiers):
1. the first JSON object (fenced or not; brace-balanced, braces inside strings ignored) with
   an `answer` key; then a regex on `"answer": ...` for JSON that does not parse;
2. the last `\\boxed{...}` (nested braces), then the last `#### ...` line;
3. the last "final answer: ...", "the answer is ...", "answer: ..." or "the output is ...";
4. for Python literals, the last `assert ... == X` line whose X parses (else the last X that
   is not `??`), then the last code block holding a literal; for multiple choice, the last
   line holding only a letter;
5. the last non-empty line.
From prose (3 and 5) a number is what follows the last `=`, a literal the longest start of
the text that parses ("[1, 2], since ..." gives [1, 2]).
No answer found, or nothing comparable in it (no number for a numeric answer, no letter for
a choice), gives None, and None never agrees with anything.

How two answers compare depends on the kind, chosen from the task (`kind_for_task`):
- numeric (maths): `$`, `,` and `#` dropped; a whole answer that is arithmetic with a
  division in it (`5/4`, `(1+2)/4`, `\\frac{5}{4}`, `\\dfrac`) is evaluated, else its first
  number is taken (units, `%`, trailing words ignored); equal as floats (`8.50` = `8.5`,
  `8.5` != `8.05`).
  This is the upstream ZeroEval rule for GSM8K and MATH plus the `\\frac` fix.
- choice: the option letter, `(C)`, `C.`, `C) text`, `option C`, a lone letter.
- literal (code output): both parse with `ast.literal_eval` and are equal as values
  (`{"a": 1}` = `{'a': 1}`, `8.50` = `8.5`); if either does not parse, they are compared as
  strings: a string literal stands for its value (`'a\\nb'` = a, newline, b), anything else
  for its text with surrounding quotes removed. The CRUXEval rule.
- text (short answers): numbers compare as numbers; otherwise case, spacing, markdown,
  surrounding quotes and a trailing full stop are ignored.
"""

from __future__ import annotations

import ast
import json
import math
import re
import warnings
from dataclasses import dataclass
from enum import StrEnum

# Bounds that keep extraction linear and cheap on any output a model may send.
MAX_LITERAL_CHARS = 20_000
MAX_ARITHMETIC_CHARS = 200
MAX_ASSERT_LINES = 20
MAX_JSON_RESTARTS = 8

# Answers are parsed under this file name, so that the warnings Python's parser emits for
# odd text ("1abc", "'\\['") are silenced for them and nowhere else.
_PARSED_AS = "<answer>"
for _category in (SyntaxWarning, DeprecationWarning):
    warnings.filterwarnings("ignore", category=_category, module=_PARSED_AS)


class Kind(StrEnum):
    NUMERIC = "numeric"
    CHOICE = "choice"
    LITERAL = "literal"
    TEXT = "text"


_KIND_OF_TASK = {
    "math": Kind.NUMERIC,
    "multiple_choice": Kind.CHOICE,
    "code_output": Kind.LITERAL,
    "short_answer": Kind.TEXT,
}
CHECKABLE_TASKS: tuple[str, ...] = tuple(_KIND_OF_TASK)


def kind_for_task(task: str) -> Kind | None:
    """The answer kind of a checkable task (math, multiple_choice, code_output, short_answer)."""
    return _KIND_OF_TASK.get(task)


@dataclass(frozen=True, slots=True)
class Answer:
    """A final answer: as written (`text`), in comparable form (`value`) and where it was found.

    `value` is a float (numeric), an upper-case letter (choice), the parsed Python value
    (literal; `parsed` is False when the text is not a literal), or the normalised string or
    a float (text).
    """

    kind: Kind
    text: str
    value: object
    source: str
    parsed: bool = True

    def __str__(self) -> str:
        return f"{self.text!r} ({self.source})"


# ---------------------------------------------------------------- comparison


def agree(a: Answer | None, b: Answer | None) -> bool:
    """Whether two final answers are the same answer (None never agrees)."""
    if a is None or b is None or a.kind != b.kind:
        return False
    if a.kind is Kind.NUMERIC:
        return _same_number(a.value, b.value)
    if a.kind is Kind.LITERAL:
        if a.parsed and b.parsed:
            return _same_literal(a.value, b.value)
        return _as_string(a) == _as_string(b) or _unquoted(a.text) == _unquoted(b.text)
    if a.kind is Kind.TEXT and isinstance(a.value, float) and isinstance(b.value, float):
        return _same_number(a.value, b.value)
    return a.value == b.value


def explain(a: Answer | None, b: Answer | None) -> str:
    """One line for logs: `agree: numeric '12' (json) = '12.0' (phrase)` and the like."""
    if a is None or b is None:
        missing = "either" if a is None and b is None else "first" if a is None else "second"
        return f"disagree: no answer in {missing}"
    if a.kind != b.kind:
        return f"disagree: {a.kind} vs {b.kind}"
    if agree(a, b):
        return f"agree: {a.kind} {a} = {b}"
    return f"disagree: {a.kind} {a} != {b}"


def _same_number(x: object, y: object) -> bool:
    if not isinstance(x, float) or not isinstance(y, float):
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


def _same_literal(x: object, y: object) -> bool:
    try:
        return bool(x == y)
    except RecursionError:  # values nested deeper than the interpreter compares
        return False


def _unquoted(text: str) -> str:
    return text.strip("'\"")


def _as_string(a: Answer) -> str:
    """The string a literal answer stands for: its value if it is a string literal."""
    return a.value if a.parsed and isinstance(a.value, str) else _unquoted(a.text)


# ---------------------------------------------------------------- extraction


def extract(text: str, kind: Kind | str) -> Answer | None:
    """The final answer in a model's output, or None when there is none to compare."""
    kind = Kind(kind)
    for source, finder in _FINDERS[kind]:
        found = finder(text)
        if found is None:
            continue
        if isinstance(found, str) and source != "json":
            found = _tidy(found)
            if kind is Kind.NUMERIC and source in _PROSE and "=" in found:
                # "so 9 * 2 = $18": the result is what follows the last `=`.
                found = found.rsplit("=", 1)[1].strip()
            elif kind is Kind.LITERAL and source in _PROSE:
                found = _literal_prefix(found)
        return parse(found, kind, source)
    return None


def parse(raw: object, kind: Kind | str, source: str = "given") -> Answer | None:
    """An answer already isolated (a JSON `answer` value, a recorded or gold answer).

    The text is taken as it is (a CRUXEval answer may be spaces); prose around an answer
    found by `extract` is trimmed before it gets here.
    """
    kind = Kind(kind)
    text = raw if isinstance(raw, str) else _python_text(raw)
    if kind is Kind.NUMERIC:
        number = _number(text)
        return None if number is None else Answer(kind, text, number, source)
    if kind is Kind.CHOICE:
        letter = _letter(text)
        return None if letter is None else Answer(kind, text, letter, source)
    if kind is Kind.LITERAL:
        parsed, value = _literal(text)
        return Answer(kind, text, value, source, parsed)
    text = text.strip()
    if not text:
        return None
    number = _number(text) if _NUMERIC_TEXT.fullmatch(text) else None
    return Answer(kind, text, number if number is not None else _normal_text(text), source)


def _python_text(value: object) -> str:
    """A JSON value as Python writes it (`True`, `[1, 'a']`), the form the data's rule saw."""
    return str(value)


_MARKUP_EDGES = " \t\r\n*_`"


def _tidy(text: str) -> str:
    text = text.strip(_MARKUP_EDGES)
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip(_MARKUP_EDGES)
    return text


# --- JSON


_JSON_TOKEN = re.compile(r'[{}"\\]')
_JSON_ANSWER_KEY = re.compile(r'"answer"\s*:')
_JSON_QUOTED = re.compile(r'"answer"\s*:\s*"((?:[^"\\]|\\.)*)"', re.DOTALL)
_JSON_BARE = re.compile(r'"answer"\s*:\s*([^\s"{}][^\n}]*?)\s*(?:,\s*"|\}|$)', re.MULTILINE)
_BAD_ESCAPE = re.compile(r'\\(?!["\\/bfnrtu])')
# JSON reads "\frac" as a form feed and "rac"; put LaTeX commands back.
_LATEX_CONTROL = {"\x0c": "\\f", "\x08": "\\b"}


def _balanced_objects(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level {...}; braces inside JSON strings do not count.

    An object that never closes is dropped and the scan resumes after its `{` (bounded).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for _ in range(MAX_JSON_RESTARTS):
        depth, start, in_string, skip = 0, -1, False, -1
        for m in _JSON_TOKEN.finditer(text, pos):
            i = m.start()
            if i < skip:
                continue
            c = text[i]
            if depth == 0:
                if c == "{":
                    depth, start, in_string = 1, i, False
            elif in_string:
                if c == "\\":
                    skip = i + 2
                elif c == '"':
                    in_string = False
            elif c == '"':
                in_string = True
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    spans.append((start, i + 1))
        if depth == 0:
            break
        pos = start + 1
    return spans


def _json_answer(text: str) -> object | None:
    if not _JSON_ANSWER_KEY.search(text):
        return None
    for start, end in _balanced_objects(text):
        chunk = text[start:end]
        if '"answer"' not in chunk:
            continue
        obj = _loads(chunk)
        if isinstance(obj, dict) and "answer" in obj:
            value = obj["answer"]
            if isinstance(value, str):
                for ctrl, latex in _LATEX_CONTROL.items():
                    value = value.replace(ctrl, latex)
            return value
    return None


def _loads(chunk: str) -> object | None:
    for candidate in (chunk, _BAD_ESCAPE.sub(r"\\\\", chunk)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _json_regex_answer(text: str) -> str | None:
    m = _JSON_QUOTED.search(text)
    if m:
        return m.group(1).replace('\\"', '"')
    m = _JSON_BARE.search(text)
    return m.group(1).rstrip(",") if m else None


# --- LaTeX box, GSM8K marker, phrases


_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_HASHES = re.compile(r"^[ \t]*####[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_PHRASE = re.compile(
    r"(?:\bfinal[ \t]+answer(?:[ \t]+is)?[*_ \t]*[:：]?"
    r"|\banswer[ \t]+is[*_ \t]*[:：]?"
    r"|\banswer[*_ \t]*[:：]"
    r"|\bthe[ \t]+output[ \t]+(?:is|will[ \t]+be)[*_ \t]*[:：]?)"
    r"[*_ \t]*(\S[^\n]*)",
    re.IGNORECASE,
)


def _boxed(text: str) -> str | None:
    starts = list(_BOXED.finditer(text))
    if not starts:
        return None
    begin = starts[-1].end()
    depth = 1
    for i in range(begin, len(text)):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[begin:i]
    return None


def _hashes(text: str) -> str | None:
    found = _HASHES.findall(text)
    return found[-1] if found else None


def _phrase(text: str) -> str | None:
    found = _PHRASE.findall(text)
    return found[-1] if found else None


# --- code: assert lines and code blocks


_ASSERT = re.compile(r"^[ \t]*assert[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"```[\w+.-]*[ \t]*\n(.*?)```", re.DOTALL)
_PY_BLOCK = re.compile(r"\[PYTHON\](.*?)\[/PYTHON\]", re.DOTALL)
_COMMENT = re.compile(r"\s+#.*$")


def _assert_rhs(text: str) -> str | None:
    """X of the last `assert ... == X` whose X parses; else of the last one that is not `??`."""
    lines = _ASSERT.findall(text)[-MAX_ASSERT_LINES:][::-1]
    for line in lines:
        parts = line.split("==")
        for i in range(1, len(parts)):
            rhs = "==".join(parts[i:]).strip()
            for candidate in (rhs, _COMMENT.sub("", rhs)):
                if _literal(candidate)[0]:
                    return candidate
    for line in lines:
        rhs = _COMMENT.sub("", line.rpartition("==")[2]).strip()
        if "==" in line and rhs and rhs != "??":
            return rhs
    return None


def _code_block(text: str) -> str | None:
    blocks = _FENCE.findall(text) + _PY_BLOCK.findall(text)
    for block in reversed(blocks):
        body = block.strip()
        if body and _literal(body)[0]:
            return body
    return None


# --- last line, lone letter


_LONE_LETTER = re.compile(r"^[ \t*_`]*\(?([A-J])\)?[.)]?[ \t*_`]*$", re.MULTILINE)


def _last_line(text: str) -> str | None:
    for raw in reversed(text.splitlines()):
        if raw.strip().startswith("```"):  # a fence's own line (checked before markup goes)
            continue
        line = raw.strip(_MARKUP_EDGES)
        if line:
            return line
    return None


def _lone_letter(text: str) -> str | None:
    found = _LONE_LETTER.findall(text)
    return found[-1] if found else None


_PROSE = ("phrase", "last-line")
_COMMON = (
    ("json", _json_answer),
    ("json-regex", _json_regex_answer),
    ("boxed", _boxed),
    ("hashes", _hashes),
    ("phrase", _phrase),
)
_FINDERS = {
    Kind.NUMERIC: (*_COMMON, ("last-line", _last_line)),
    Kind.CHOICE: (*_COMMON, ("lone-letter", _lone_letter), ("last-line", _last_line)),
    Kind.LITERAL: (
        *_COMMON,
        ("assert", _assert_rhs),
        ("code", _code_block),
        ("last-line", _last_line),
    ),
    Kind.TEXT: (*_COMMON, ("last-line", _last_line)),
}


# ---------------------------------------------------------------- normalisation


_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_TEXT = re.compile(r"\\(?:text|mathrm|textbf|mbox)\s*\{([^{}]*)\}")
_FIRST_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NUMERIC_TEXT = re.compile(r"[-+−]?[$€£]?\s*[\d,]*\.?\d+\s*%?")
_ARITHMETIC = re.compile(r"[\d\s.+\-*/()]+")


def _number(text: str) -> float | None:
    """The ZeroEval maths rule: drop `$ , #`; evaluate a fraction, else take the first number."""
    # `\text{,}` first, so that its comma is a thousands separator like `{,}` and `,`.
    s = _LATEX_TEXT.sub(r"\1", text.replace("−", "-"))
    s = s.replace("{,}", "").replace("\\!", "")
    s = _FRAC.sub(r"(\1)/(\2)", s)
    s = s.replace("$", "").replace(",", "").replace("#", "").replace("\\%", "%").strip()
    if "/" in s and len(s) <= MAX_ARITHMETIC_CHARS and _ARITHMETIC.fullmatch(s):
        value = _arithmetic(s)
        if value is not None:
            return value
    m = _FIRST_NUMBER.search(s)
    if m is None:
        return None
    try:
        return float(m.group())
    except (ValueError, OverflowError):
        return None


_ARITH_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _arithmetic(expr: str) -> float | None:
    """+ - * / and parentheses over numbers, evaluated without eval(); None otherwise."""
    try:
        tree = ast.parse(expr, _PARSED_AS, "eval")
        return float(_arith_node(tree.body))
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, RecursionError, TypeError):
        return None


def _arith_node(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _arith_node(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ARITH_OPS):
        left, right = _arith_node(node.left), _arith_node(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right
    raise ValueError("not arithmetic")


_LEADING_LETTER = re.compile(r"^[\s*_`'\"\[]*\(?([A-J])(?:\)|\]|\.|:|(?=\s*$))")
_PAREN_LETTER = re.compile(r"\(([A-J])\)")
_OPTION_LETTER = re.compile(r"\b(?:option|choice)[ \t]+\(?([A-J])\b", re.IGNORECASE)
_SINGLE_LOWER = re.compile(r"^\(?([a-j])\)?\.?$")


def _letter(text: str) -> str | None:
    for pattern in (_LEADING_LETTER, _PAREN_LETTER, _OPTION_LETTER, _SINGLE_LOWER):
        m = pattern.search(text)
        if m:
            return m.group(1).upper()
    return None


_CLOSERS = re.compile(r"[)\]}'\"]")
MAX_PREFIX_TRIES = 12


def _literal_prefix(text: str) -> str:
    """The longest start of a prose answer that is a literal: "[1, 2], since ..." -> "[1, 2]"."""
    if _literal(text)[0]:
        return text
    first_word = text.split(maxsplit=1)[0].rstrip(",;:") if text.strip() else ""
    ends = [m.end() for m in _CLOSERS.finditer(text)][::-1][:MAX_PREFIX_TRIES]
    for candidate in [text[:end] for end in ends] + [first_word]:
        if candidate and _literal(candidate)[0]:
            return candidate
    return text


def _literal(text: str) -> tuple[bool, object]:
    """(True, value) for a Python literal; (False, None) otherwise, or when too long."""
    if not text.strip() or len(text) > MAX_LITERAL_CHARS:
        return False, None
    try:
        return True, ast.literal_eval(ast.parse(text.lstrip(" \t"), _PARSED_AS, "eval").body)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None


_SPACES = re.compile(r"\s+")


def _normal_text(text: str) -> str:
    text = _LATEX_TEXT.sub(r"\1", text)
    return _SPACES.sub(" ", _unquoted(_tidy(text)).strip()).casefold()
