#!/usr/bin/python3
"""Independent reference for wordcrawl's word definition, for agreement checks.

Usage: reference_words.py [-k N] [--stopwords CODES] [--stem LANG] [--content main] [--stats]
                          FILE...

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

Word options, as count_words has them:
  --content main  text inside the subtree of an HTML nav, header, footer or aside, or of any
                  element (but html, head and body) whose role attribute's first ARIA role is
                  navigation, banner, contentinfo or complementary, is not counted; the tree
                  is html5lib's, so an element ends where the HTML5 tree builder ends it.
  --stopwords     a comma list of language codes whose stop lists
                  (shared/kernel/tools/stop_words.py) are left out; "none" leaves nothing out.
  --stem LANG     words are merged by their Snowball stem in LANG (python3-stemmer, the same
                  libstemmer); a group counts the sum of its words and shows its most
                  frequent word, the smallest by code point on a tie.
  --stats         a third column: total_words (every word counted, before stop words and
                  stems) and distinct_words (distinct words among them).
This reference detects no language: which language a text is in is CLD2's answer, not a rule
of the word definition. For the kernel's "auto" stop words and for stems, the agreement check
passes the reference, page by page, the languages the kernel reports having applied.
"""

import argparse
import collections
import json
import os
import sys

import html5lib
import icu
import Stemmer
from html5lib import constants, treebuilders
from html5lib.treebuilders.base import tableInsertModeElements

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared",
                                "kernel", "tools"))
import stop_words  # noqa: E402 (found through the path above)

STOP_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared", "kernel",
                         "data", "stopwords")

EXCLUDED_ELEMENTS = frozenset({"script", "style", "template", "noscript"})
LANDMARK_ELEMENTS = frozenset({"nav", "header", "footer", "aside"})
LANDMARK_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
ROLELESS_ELEMENTS = frozenset({"html", "head", "body"})
# The ARIA 1.2 roles (abstract ones excluded): of a role list the first of these counts.
ARIA_ROLES = frozenset("""
    alert alertdialog application article banner blockquote button caption cell checkbox code
    columnheader combobox complementary contentinfo definition deletion dialog directory
    document emphasis feed figure form generic grid gridcell group heading img insertion link
    list listbox listitem log main marquee math meter menu menubar menuitem menuitemcheckbox
    menuitemradio navigation none note option paragraph presentation progressbar radio
    radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider
    spinbutton status strong subscript superscript switch tab table tablist tabpanel term
    textbox time timer toolbar tooltip tree treegrid treeitem""".split())
ASCII_WHITESPACE = "\t\n\f\r "
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


def hides_text(node):
    """True if an element of html5lib's tree is left out of the main content."""
    if node.name in LANDMARK_ELEMENTS and node.namespace is None:
        return True
    if node.name in ROLELESS_ELEMENTS:
        return False
    role = node.attributes.get("role") if isinstance(node.attributes, dict) else None
    if role is None:
        return False
    lowered = role.translate({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
    for token in lowered.split():
        if token.strip(ASCII_WHITESPACE) in ARIA_ROLES:
            return token in LANDMARK_ROLES
    return False


def text_pieces(data, encoding, main_only=False):
    """The pieces of text of an HTML document, split at every tag, in document order."""
    pieces = []
    current = []

    base = treebuilders.getTreeBuilder("etree")

    class recording_builder(base):
        def insertText(self, data, parent=None):  # noqa: N802 (html5lib's name)
            if not any(e.name in EXCLUDED_ELEMENTS for e in self.openElements) and not (
                    main_only and self.hidden_target(parent)):
                current.append(data)
            super().insertText(data, parent)

        def hidden_target(self, parent):
            # The element the text goes into, foster parenting included, and its ancestors.
            target = parent if parent is not None else self.openElements[-1]
            if (parent is None and self.insertFromTable
                    and self.openElements[-1].name in tableInsertModeElements):
                target = self.getTableMisnestedNodePosition()[0]
            while target is not None:
                if getattr(target, "name", None) and hides_text(target):
                    return True
                target = target.parent
            return False

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


def count_words(data, encoding=None, main_only=False):
    counts = collections.Counter()
    for piece in text_pieces(data, encoding, main_only):
        for run in runs(piece):
            for word in words_of_run(run):
                counts[fold(word)] += 1
    return counts


def format_words(top):
    return "{" + ", ".join(
        f"{json.dumps(word, ensure_ascii=False)}: {count}" for word, count in top) + "}"


def top_words(counts, k):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]


def without_stop_words(counts, stops):
    return collections.Counter({w: n for w, n in counts.items() if w not in stops})


def stem_groups(counts, stemmer):
    """Words merged by stem: (shown word, summed count) per group."""
    groups = {}
    for word, count in counts.items():
        stem = stemmer.stemWord(word)
        total, shown, shown_count = groups.get(stem, (0, None, 0))
        if shown is None or count > shown_count or (count == shown_count and word < shown):
            shown, shown_count = word, count
        groups[stem] = (total + count, shown, shown_count)
    return collections.Counter({shown: total for total, shown, _ in groups.values()})


def snowball_code(code):
    return "no" if code in ("nb", "nn") else code


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=10, help="how many words per file")
    parser.add_argument("--encoding", help="decode every file with this encoding")
    parser.add_argument("--stopwords", default="none",
                        help="none, or language codes whose stop lists apply (en,ru)")
    parser.add_argument("--stem", default="", help="merge words by stem in this language")
    parser.add_argument("--content", choices=("all", "main"), default="all")
    parser.add_argument("--stats", action="store_true", help="print total and distinct words")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    stops = set()
    if args.stopwords not in ("none", ""):
        lists = stop_words.load_stop_lists(STOP_DATA)
        for code in args.stopwords.split(","):
            stops |= lists.get(stop_words.ISO_CODE_ALIASES.get(code, code), set())
    stemmer = Stemmer.Stemmer(snowball_code(args.stem)) if args.stem else None
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        counts = count_words(data, args.encoding, args.content == "main")
        stats = {"total_words": sum(counts.values()), "distinct_words": len(counts)}
        if stops:
            counts = without_stop_words(counts, stops)
        if stemmer is not None:
            counts = stem_groups(counts, stemmer)
        line = f"{path}\t{format_words(top_words(counts, args.k))}"
        if args.stats:
            line += "\t" + json.dumps(stats)
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
