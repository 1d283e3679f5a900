// Fuzzes cjk_segmenter against its definition, ICU's word break iterator: every piece it
// takes must be cut into the words ICU gives, or the fuzzer aborts.
//
// Input: pairs of bytes, each one character. The top two bits of a pair pick where it comes
// from (kana, ideographs that make many dictionary words, any unified ideograph, an
// ideograph of Extension B), the rest which one; characters the segmenter does not take are
// left out. Every 48 characters make a piece.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cjk_segmenter.hpp"
#include "icu_words.hpp"
#include "wordcrawl/utf8.hpp"

namespace {

constexpr std::size_t piece_characters = 48;

// Characters of many two- and three-character words, in Chinese and in Japanese.
constexpr std::u32string_view common =
    U"的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
    U"对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本見経頭"
    U"面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者語"
    U"管理系統設定使用軟件包安装命令行服务器網络文件目录数据库用户権限";

char32_t character(std::uint16_t pair) {
  const std::uint16_t which = pair & 0x3FFFU;
  switch (pair >> 14U) {
    case 0:
      return 0x3041 + which % (0x3100 - 0x3041);  // hiragana, katakana, ー
    case 1:
      return common[which % common.size()];
    case 2:
      return 0x4E00 + which % (0xA000 - 0x4E00);
    default:
      return 0x20000 + which % 0xA6E0;
  }
}

void check(const wordcrawl::cjk_segmenter& segmenter, const std::string& piece) {
  static wordcrawl::cjk_segmenter::scratch scratch;
  std::vector<std::string> ours;
  const bool cut =
      segmenter.cut(piece, scratch, [&ours](std::string_view word) { ours.emplace_back(word); });
  if (cut != segmenter.handles(piece)) {
    std::cerr << "cut() and handles() disagree: " << piece << '\n';
    std::abort();
  }
  if (cut && ours != wordcrawl::testing::icu_words(piece)) {
    std::cerr << "cjk_segmenter and ICU cut differently: " << piece << '\n';
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const wordcrawl::cjk_segmenter* segmenter = wordcrawl::cjk_segmenter::get();
  if (segmenter == nullptr) {
    std::cerr << "ICU's data has no Chinese and Japanese dictionary\n";
    std::abort();
  }
  std::string piece;
  std::size_t characters = 0;
  for (std::size_t i = 0; i + 1 < size; i += 2) {
    const auto pair = static_cast<std::uint16_t>(data[i] | (data[i + 1] << 8U));
    const char32_t c = character(pair);
    if (!segmenter->takes(c)) {
      continue;
    }
    wordcrawl::utf8::append(piece, c);
    if (++characters == piece_characters) {
      check(*segmenter, piece);
      piece.clear();
      characters = 0;
    }
  }
  check(*segmenter, piece);
  return 0;
}
