#pragma once

// Cuts a piece of Han and kana into the words ICU's word break iterator gives for it: the
// same dictionary (ICU's cjdict, walked with UCharsTrie), the same costs (the dictionary's,
// 255 for a character it does not start a word with, the katakana run lengths'), the same
// cheapest path through them. ICU's iterator costs several times the cut itself around it
// (its rules, UText, a normalization check and fresh vectors per range, UTF-16): on Chinese
// and Japanese pages it was most of the kernel's time.
//
// Only pieces that ICU's dictionary engine would take whole and as they are go here: two or
// more characters, each in that engine's set, NFKC-normal, of combining class 0. Anything
// else (a character alone, Thai, half-width kana, compatibility ideographs, marks, joiners)
// goes to ICU.
// tests/cjk_segmenter_test.cpp compares both on every such piece of the corpus it is given.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <unicode/ucharstrie.h>
#include <unicode/udata.h>

namespace wordcrawl {

class cjk_segmenter {
 public:
  /// The dictionary of the process, loaded on first use; nullptr if ICU's data lacks it.
  static const cjk_segmenter* get();

  /// What a cut needs that changes: one per thread.
  struct scratch {
    std::vector<char32_t> text;              // the piece's code points
    std::vector<std::uint32_t> offsets;      // the UTF-8 offset of each, then the piece's size
    std::vector<std::uint32_t> best;         // cost of the cheapest cut of the first i
    std::vector<std::int32_t> previous;      // where its last word starts
    std::vector<std::uint32_t> word_starts;  // the cut, read back from previous
  };

  /// Whether utf8 (valid UTF-8) is a piece this segmenter cuts as ICU does.
  bool handles(std::string_view utf8) const;

  /// Whether c is a character of such pieces.
  bool takes(char32_t c) const { return ((handled_[c >> 6U] >> (c & 63U)) & 1U) != 0; }

  /// Cuts utf8 (valid UTF-8) and calls on_word(word) for each of its words, in order, if it
  /// is a piece this segmenter cuts as ICU does (handles()); false, and no call, if not.
  template <typename OnWord>
  bool cut(std::string_view utf8, scratch& s, const OnWord& on_word) const {
    if (!decode(utf8, s)) {
      return false;
    }
    const std::size_t words = cut_points(s);
    for (std::size_t w = words; w-- > 0;) {
      const std::uint32_t from = s.offsets[s.word_starts[w]];
      const std::uint32_t to = w == 0 ? s.offsets.back() : s.offsets[s.word_starts[w - 1]];
      on_word(utf8.substr(from, to - from));
    }
    return true;
  }

 private:
  struct data_closer {
    void operator()(UDataMemory* data) const;
  };
  using dictionary_data = std::unique_ptr<UDataMemory, data_closer>;

  // Opens ICU's Chinese and Japanese dictionary; nullptr if it cannot.
  static const cjk_segmenter* load();

  // Over the dictionary, its trie (inside it) and a bit per code point it takes.
  cjk_segmenter(dictionary_data data, const char16_t* trie, std::vector<std::uint64_t> handled);

  // Fills s.text and s.offsets from utf8; false if it is no piece this segmenter cuts.
  bool decode(std::string_view utf8, scratch& s) const;

  // Fills s.word_starts with the code point index of each word's start in s.text, last word
  // first; returns their number.
  std::size_t cut_points(scratch& s) const;

  // Calls on_match(length, cost) for each dictionary word at text[from...]
  template <typename OnMatch>
  void matches(const scratch& s, std::size_t from, const OnMatch& on_match) const;

  // The trie after one step from its root, for the characters most pieces are made of:
  // the root is the widest branch of the trie and the costliest step of every walk.
  struct first_step {
    icu::UCharsTrie::State state;
    std::int32_t value = 0;
    UStringTrieResult result = USTRINGTRIE_NO_MATCH;
  };
  static constexpr char32_t first_steps_from = 0x3000;  // kana, CJK Extension A, Unified
  static constexpr char32_t first_steps_to = 0xA000;

  dictionary_data data_;                 // ICU's cjdict, mapped
  const char16_t* trie_;                 // inside data_
  std::vector<std::uint64_t> handled_;   // a bit per code point
  std::vector<first_step> first_steps_;  // for first_steps_from..first_steps_to
};

}  // namespace wordcrawl
