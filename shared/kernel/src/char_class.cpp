#include "char_class.hpp"

#include <array>
#include <memory>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace wordcrawl::char_class {
namespace {

constexpr char32_t bmp_size = 0x10000;

std::uint8_t compute(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  const auto mask = U_GET_GC_MASK(c);
  std::uint8_t bits = 0;
  if ((mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0) {
    bits |= run;
  }
  if ((mask & U_GC_L_MASK) != 0) {
    bits |= letter;
  }
  if (cp == 0x200C || cp == 0x200D) {
    bits |= joiner;
  }
  if (cp == 0x27 || cp == 0x2019) {
    bits |= apostrophe;
  }
  for (const UScriptCode script : {USCRIPT_HAN, USCRIPT_HIRAGANA, USCRIPT_KATAKANA, USCRIPT_THAI,
                                   USCRIPT_LAO, USCRIPT_KHMER, USCRIPT_MYANMAR}) {
    if (uscript_hasScript(c, script) != 0) {
      bits |= spaceless;
      break;
    }
  }
  return bits;
}

std::unique_ptr<bmp_tables> build_tables() {
  auto tables = std::make_unique<bmp_tables>();
  for (char32_t cp = 0; cp < bmp_size; ++cp) {
    tables->classes.at(cp) = compute(cp);
    // Simple folding never leaves the BMP for a BMP code point.
    tables->folds.at(cp) =
        static_cast<char16_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
  }
  return tables;
}

}  // namespace

const bmp_tables& bmp() {
  static const std::unique_ptr<const bmp_tables> instance = build_tables();
  return *instance;
}

std::uint8_t of(char32_t cp) {
  return cp < bmp_size ? bmp().classes.at(cp) : compute(cp);
}

char32_t fold(char32_t cp) {
  if (cp < bmp_size) {
    return bmp().folds.at(cp);
  }
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
}

}  // namespace wordcrawl::char_class
