#!/usr/bin/env python3
"""The per-language stop lists, read from their sources and put into the kernel's word form.

Used by gen_stop_words.py (which writes the C++ table) and by scripts/reference_words.py, so
that both drop the same words. Only the standard library is needed: the build runs it with
whatever Python CMake finds.

Sources (shared/kernel/data/stopwords, see its README.md):
  snowball/*.stop               Snowball's stop lists (BSD-3), one entry per line
  stopwords-iso/stopwords-iso.json  stopwords-iso 1.1.0 (MIT), {"code": [entries]}

Rules, applied in this order:
  1. Source.  A language Snowball has takes Snowball's list, whole and alone; every other
     language takes its stopwords-iso list. The lists are not merged: Snowball's are short
     lists of function words kept by linguists, while stopwords-iso gathers web lists that
     also hold content words ("information", "world", "research" for English).
  2. Code.    Lists are keyed by lowercase ISO 639-1 code; Snowball's Norwegian list (and
     stopwords-iso's "no" key) is "nb". find_stop_list in C++ also accepts "no".
  3. Form.    Whitespace around an entry is dropped, U+2019 becomes U+0027 and every code
     point takes its Unicode simple case folding, as the word counter does
     (docs/word-definition.md, "Case"). Nothing else: the counter applies no
     normalisation, so neither does this (no NFC).
  4. Words.   An entry is kept only if the counter could emit it as a single word: every
     code point a letter (L*), mark (M*) or decimal digit (Nd), ZWNJ/ZWJ only inside, an
     apostrophe only between two of those, and at least one letter. So entries with spaces
     ("bao giờ"), punctuation ("berkali-kali", "etc.", an apostrophe at an end: "chut'"),
     symbols ("ει∆εμη" with U+2206), no letter ("!", "、", "10") are dropped by rule, never
     by hand.
  5. Sets.    Entries equal after rule 3 are one entry.

Entries of scripts written without spaces (Chinese, Japanese, Thai) are kept whole: the
counter cuts such text with ICU's dictionary word breaker, so an entry the breaker cuts in
two simply never matches (its parts match only if they are entries themselves).

Simple case folding is derived from unicodedata: str.casefold() is full folding, which
equals simple folding whenever it maps to one code point; where it grows (U+00DF, U+0130,
Greek with ypogegrammeni...), simple folding is the one-code-point lowercase mapping if there
is one, else the code point itself. `stop_words.py --check-icu` compares this with ICU's
u_foldCase for every code point (needs python3-icu).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

# Snowball list files and the ISO 639-1 codes they are keyed by.
SNOWBALL_FILES = {
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "finnish": "fi",
    "french": "fr",
    "german": "de",
    "hungarian": "hu",
    "italian": "it",
    "nepali": "ne",
    "norwegian": "nb",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "swedish": "sv",
    "turkish": "tr",
}

# stopwords-iso keys that differ from the code the lists are keyed by.
ISO_CODE_ALIASES = {"no": "nb"}

APOSTROPHE = "'"
RIGHT_SINGLE_QUOTATION_MARK = "\u2019"
JOINERS = frozenset({"\u200c", "\u200d"})


def simple_fold(ch: str) -> str:
    """Unicode simple case folding of one code point (ICU u_foldCase, U_FOLD_CASE_DEFAULT)."""
    full = ch.casefold()
    if len(full) == 1:
        return full
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def to_word_form(entry: str) -> str:
    """The entry as the counter would store it: apostrophe unified, folded per code point."""
    unified = entry.replace(RIGHT_SINGLE_QUOTATION_MARK, APOSTROPHE)
    return "".join(simple_fold(ch) for ch in unified)


def _is_run_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in ("L", "M") or category == "Nd"


def is_single_word(word: str) -> bool:
    """True if the counter would emit word (already in word form) as exactly one word."""
    if not word or word[0] in JOINERS or word[-1] in JOINERS:
        return False
    has_letter = False
    for i, ch in enumerate(word):
        if ch == APOSTROPHE:
            # Joins only two run characters; at an end or beside another separator it cuts.
            if i == 0 or i == len(word) - 1:
                return False
            if not (_is_run_char(word[i - 1]) and _is_run_char(word[i + 1])):
                return False
        elif ch not in JOINERS and not _is_run_char(ch):
            return False
        has_letter = has_letter or unicodedata.category(ch)[0] == "L"
    return has_letter


def _apply_rules(entries: list[str]) -> set[str]:
    words = (to_word_form(entry.strip()) for entry in entries)
    return {word for word in words if is_single_word(word)}


def _read_snowball(path: Path) -> list[str]:
    # Snowball's format: one entry per line, anything after '|' a comment.
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("|", 1)[0] for line in lines]


def load_stop_lists(data_dir: str | Path) -> dict[str, set[str]]:
    """Every language's stop list, keyed by ISO 639-1 code, entries in word form."""
    data = Path(data_dir)
    lists: dict[str, set[str]] = {}
    with open(data / "stopwords-iso" / "stopwords-iso.json", encoding="utf-8") as source:
        iso = json.load(source)
    for key, entries in iso.items():
        lists[ISO_CODE_ALIASES.get(key, key)] = _apply_rules(entries)
    # Snowball replaces stopwords-iso wherever it has the language (rule 1).
    for name, code in SNOWBALL_FILES.items():
        lists[code] = _apply_rules(_read_snowball(data / "snowball" / f"{name}.stop"))
    return {code: words for code, words in sorted(lists.items()) if words}


def source_files(data_dir: str | Path) -> list[Path]:
    """The files load_stop_lists reads (for build dependencies)."""
    data = Path(data_dir)
    snowball = [data / "snowball" / f"{name}.stop" for name in sorted(SNOWBALL_FILES)]
    return [data / "stopwords-iso" / "stopwords-iso.json", *snowball]


def check_icu() -> int:
    """Compares simple_fold with ICU's u_foldCase for every code point; 0 if they agree."""
    import icu  # pylint: disable=import-outside-toplevel

    differences = 0
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ours = ord(simple_fold(chr(cp)))
        theirs = icu.Char.foldCase(cp, icu.U_FOLD_CASE_DEFAULT)
        if ours != theirs:
            differences += 1
            print(f"U+{cp:04X}: unicodedata {ours:04X}, ICU {theirs:04X}", file=sys.stderr)
    print(f"simple case folding: {differences} differences from ICU {icu.ICU_VERSION}")
    return 1 if differences else 0


def main() -> int:
    if sys.argv[1:] == ["--check-icu"]:
        return check_icu()
    if len(sys.argv) == 2:
        for code, words in load_stop_lists(sys.argv[1]).items():
            print(f"{code}\t{len(words)}")
        return 0
    print("Usage: stop_words.py DATA_DIR (prints list sizes) | stop_words.py --check-icu",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
