#pragma once

// What each code point means to the word rules (letter, mark, digit, joiner, apostrophe,
// script written without spaces) and its simple case folding. BMP answers come from tables
// built once from ICU; other code points ask ICU directly.

#include <array>
#include <cstdint>

namespace wordcrawl::char_class {

/// Bits of a code point's class.
enum bits : std::uint8_t {
  run = 1U << 0U,         // L*, M* or Nd: part of a run
  letter = 1U << 1U,      // L*: makes a run a word
  joiner = 1U << 2U,      // ZWNJ / ZWJ: kept inside a run
  apostrophe = 1U << 3U,  // U+0027 / U+2019: joins two run characters
  spaceless = 1U << 4U,   // Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar
};

/// Answers for the BMP, looked up without a call.
struct bmp_tables {
  std::array<std::uint8_t, 0x10000> classes{};
  std::array<char16_t, 0x10000> folds{};
};

/// The BMP tables, built on first use.
const bmp_tables& bmp();

/// The class bits of cp.
std::uint8_t of(char32_t cp);

/// Unicode simple case folding of cp (u_foldCase with U_FOLD_CASE_DEFAULT).
char32_t fold(char32_t cp);

}  // namespace wordcrawl::char_class
