#!/usr/bin/python3
"""Independent reference for wordcrawl's word definition, for agreement checks.

Usage: reference_words.py [-k N] FILE...

Prints one line per file, `<path>\t{"word": count, ...}`, in the format of the C++ tool
count_words. It shares no code with the C++ kernel: html5lib (python3-html5lib) parses the
HTML and PyICU (python3-icu) classifies characters, segments spaceless scripts and folds case.

The definition:
  text   every text node as an HTML5 parser (scripting enabled) sees it, <title> included,
         except inside script, style, template and noscript; comments, doctypes, processing
         instructions and CDATA sections are not text; character references are decoded;
         every tag (and comment, CDATA section) ends a piece of text.
  runs   maximal runs of letters (L*), marks (M*) and decimal digits (Nd); ZWNJ and ZWJ stay
         inside a run; an apostrophe (U+0027 or U+2019) between two run characters joins them
         and is stored as U+0027.
  words  inside a run, characters of the spaceless scripts (Han, Hiragana, Katakana, Thai, Lao,
         Khmer, Myanmar by Script_Extensions) are cut by ICU's word break iterator (root locale),
         keeping segments whose rule status is letter, kana or ideographic; the rest of the run
         is cut at those segments and each piece with at least one letter is a word.
  case   Unicode simple case folding per code point.
  top-k  count descending, then word ascending by code point.
"""

import argparse
import collections
import json
import sys

import html5lib
import icu
from html5lib import constants, treebuilders

EXCLUDED_ELEMENTS = frozenset({"script", "style", "template", "noscript"})
JOINERS = frozenset({"\u200c", "\u200d"})
APOSTROPHES = frozenset({"'", "\u2019"})

LETTER_TYPES = frozenset({
    icu.UCharCategory.UPPERCASE_LETTER,
    icu.UCharCategory.LOWERCASE_LETTER,
    icu.UCharCategory.TITLECASE_LETTER,
    icu.UCharCategory.MODIFIER_LETTER,
    icu.UCharCategory.OTHER_LETTER,
})
RUN_TYPES = LETTER_TYPES | frozenset({
    icu.UCharCategory.NON_SPACING_MARK,
    icu.UCharCategory.ENCLOSING_MARK,
    icu.UCharCategory.COMBINING_SPACING_MARK,
    icu.UCharCategory.DECIMAL_DIGIT_NUMBER,
})
SPACELESS_SCRIPTS = frozenset({
    icu.UScriptCode.HAN,
    icu.UScriptCode.HIRAGANA,
    icu.UScriptCode.KATAKANA,
    icu.UScriptCode.THAI,
    icu.UScriptCode.LAO,
    icu.UScriptCode.KHMER,
    icu.UScriptCode.MYANMAR,
})
# ICU word break rule status ranges: UBRK_WORD_LETTER (200) up to UBRK_WORD_IDEO_LIMIT (500)
# covers letter, kana and ideographic segments.
WORD_STATUS_FIRST = 200
WORD_STATUS_LIMIT = 500

CHARACTERS = constants.tokenTypes["Characters"]
COMMENT = constants.tokenTypes["Comment"]

# Tokens after which text starts a new piece: tags, comments, doctypes.
BOUNDARY_TOKENS = frozenset({
    constants.tokenTypes["StartTag"],
    constants.tokenTypes["EndTag"],
    constants.tokenTypes["EmptyTag"],
    constants.tokenTypes["Comment"],
    constants.tokenTypes["Doctype"],
})

_char_cache = {}


def char_info(ch):
    """(is_run_character, is_letter, is_spaceless) for one character, cached."""
    info = _char_cache.get(ch)
    if info is None:
        cp = ord(ch)
        kind = icu.Char.charType(cp)
        spaceless = any(s in SPACELESS_SCRIPTS for s in icu.Script.getScriptExtensions(cp))
        info = (kind in RUN_TYPES, kind in LETTER_TYPES, spaceless)
        _char_cache[ch] = info
    return info


def text_pieces(data, encoding):
    """The pieces of text of an HTML document, split at every tag, in document order."""
    pieces = []
    current = []

    base = treebuilders.getTreeBuilder("etree")

    class recording_builder(base):
        def insertText(self, data, parent=None):  # noqa: N802 (html5lib's name)
            if not any(e.name in EXCLUDED_ELEMENTS for e in self.openElements):
                current.append(data)
            super().insertText(data, parent)

    def close_piece():
        if current:
            pieces.append("".join(current))
            current.clear()

    class recording_parser(html5lib.HTMLParser):
        def mainLoop(self):  # noqa: N802 (html5lib's name)
            # A piece ends once the parser has fully handled a tag, so that text it flushes
            # late (table text) still belongs before the tag.
            tokenizer_class = type(self.tokenizer)

            class bounded_tokenizer(tokenizer_class):
                def __iter__(self):
                    for token in tokenizer_class.__iter__(self):
                        yield token
                        if token["type"] in BOUNDARY_TOKENS:
                            close_piece()

                def cdataSectionState(self):  # noqa: N802 (html5lib's name)
                    # A CDATA section (in SVG or MathML) is not text: it becomes a comment,
                    # which also ends the piece of text before it.
                    queued = len(self.tokenQueue)
                    result = tokenizer_class.cdataSectionState(self)
                    section = [self.tokenQueue.pop() for _ in range(len(self.tokenQueue) - queued)]
                    data = "".join(token["data"] for token in reversed(section)
                                   if token["type"] == CHARACTERS)
                    self.tokenQueue.append({"type": COMMENT, "data": data})
                    return result

            self.tokenizer.__class__ = bounded_tokenizer
            super().mainLoop()

    # Scripting enabled, as in a browser: noscript content is raw text, never markup.
    parser = recording_parser(tree=recording_builder, namespaceHTMLElements=False)
    if encoding:
        parser.parse(data, override_encoding=encoding, useChardet=False, scripting=True)
    else:
        parser.parse(data, default_encoding="utf-8", useChardet=False, scripting=True)
    close_piece()
    return pieces


def runs(text):
    """Maximal runs of letters, marks and digits, joiners and apostrophes kept inside."""
    run = []
    n = len(text)
    for i, ch in enumerate(text):
        is_run, _, _ = char_info(ch)
        if is_run:
            run.append(ch)
            continue
        if ch in JOINERS and run:
            # Joiners stay when the run goes on after them, however many there are.
            j = i + 1
            while j < n and text[j] in JOINERS:
                j += 1
            if j < n and char_info(text[j])[0]:
                run.append(ch)
                continue
        if ch in APOSTROPHES and run and i + 1 < n and char_info(text[i + 1])[0]:
            run.append("'")
            continue
        if run:
            yield "".join(run)
            run = []
    if run:
        yield "".join(run)


_word_breaker = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


def spaceless_words(span):
    """Segments of a spaceless-script span that ICU marks as letter, kana or ideographic."""
    text = icu.UnicodeString(span)
    _word_breaker.setText(text)
    start = _word_breaker.first()
    for end in _word_breaker:
        if WORD_STATUS_FIRST <= _word_breaker.getRuleStatus() < WORD_STATUS_LIMIT:
            yield str(text[start:end])
        start = end


def words_of_run(run):
    """Cuts a run into words: spaceless spans by ICU, the pieces between them if lettered."""
    span = []
    span_spaceless = None
    for ch in run:
        spaceless = char_info(ch)[2]
        if span and spaceless != span_spaceless:
            yield from words_of_span("".join(span), span_spaceless)
            span = []
        span.append(ch)
        span_spaceless = spaceless
    if span:
        yield from words_of_span("".join(span), span_spaceless)


def words_of_span(span, spaceless):
    if spaceless:
        yield from spaceless_words(span)
    elif any(char_info(ch)[1] for ch in span):
        yield span


def fold(word):
    return "".join(chr(icu.Char.foldCase(ord(ch), 0)) for ch in word)


def count_words(data, encoding=None):
    counts = collections.Counter()
    for piece in text_pieces(data, encoding):
        for run in runs(piece):
            for word in words_of_run(run):
                counts[fold(word)] += 1
    return counts


def format_words(top):
    return "{" + ", ".join(
        f"{json.dumps(word, ensure_ascii=False)}: {count}" for word, count in top) + "}"


def top_words(counts, k):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=10, help="how many words per file")
    parser.add_argument("--encoding", help="decode every file with this encoding")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        top = top_words(count_words(data, args.encoding), args.k)
        sys.stdout.write(f"{path}\t{format_words(top)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
