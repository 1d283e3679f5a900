// cjk_segmenter against ICU's word break iterator, its definition: every piece it takes must
// come out in the words ICU gives (the segments it marks as letter, kana or ideographic
// words), on hand-picked pieces, on random ones and on every piece of the Chinese and
// Japanese pages installed.

#include "cjk_segmenter.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "icu_words.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl::testing {
namespace {

std::vector<std::string> cut(const cjk_segmenter& segmenter, std::string_view utf8) {
  cjk_segmenter::scratch scratch;
  std::vector<std::string> words;
  EXPECT_TRUE(segmenter.cut(utf8, scratch, [&words](std::string_view word) {
    words.emplace_back(word);
  })) << utf8;
  return words;
}

const cjk_segmenter& the_segmenter() {
  const cjk_segmenter* segmenter = cjk_segmenter::get();
  if (segmenter == nullptr) {
    throw std::runtime_error("ICU's data has no Chinese and Japanese dictionary");
  }
  return *segmenter;
}

// Each code point of utf8 as its own string.
std::vector<std::string> characters(std::string_view utf8) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t n = utf8::sequence_length(static_cast<unsigned char>(utf8[i]));
    out.emplace_back(utf8.substr(i, n));
    i += n;
  }
  return out;
}

TEST(CjkSegmenter, CutsHandPickedPiecesAsIcu) {
  const cjk_segmenter& segmenter = the_segmenter();
  const std::vector<std::string> pieces = {
      "日本語のテキスト", "中文分词测试", "我们在北京大学学习中文", "東京都に住んでいます",
      "コンピューター", "ソフトウェアパッケージ", "デビアンのパッケージ管理システム", "々々",
      "時々", "日々の", "𠮷野家", "𠀀𠀁𠀂", "ーー", "ひらがなとカタカナと漢字",
      // Katakana runs about the 20 characters a run may have to be a candidate.
      "アアアアアアアアアアアアアアアアアアア", "アアアアアアアアアアアアアアアアアアアア",
      "アアアアアアアアアアアアアアアアアアアアア",
      "かアイウエオカキクケコサシスセソタチツテトナニ"};
  for (const auto& piece : pieces) {
    ASSERT_TRUE(segmenter.handles(piece)) << piece;
    EXPECT_EQ(cut(segmenter, piece), icu_words(piece)) << piece;
  }
}

TEST(CjkSegmenter, LeavesToIcuWhatItsEngineDoesNotTakeAsItIs) {
  const cjk_segmenter& segmenter = the_segmenter();
  for (const char* piece : {
           "ภาษาไทย",           // Thai: another engine
           "ｶﾀｶﾅ",              // half-width katakana: NFKC changes it
           "\uF900\uF901",      // compatibility ideographs: NFKC changes them
           "ゟヿ",              // digraphs: NFKC spells them out
           "〆切",              // a character outside the engine's set
           "々", "日", "の",    // a character alone: ICU's rules decide (a lone 々 is no word)
           "か\u3099",          // a combining mark
           "日本\u200D語",      // a joiner
           "한국어",            // Hangul: another dictionary
           "abc", "日本語abc",  // not spaceless at all
       }) {
    EXPECT_FALSE(segmenter.handles(piece)) << piece;
    cjk_segmenter::scratch scratch;
    std::size_t words = 0;
    EXPECT_FALSE(segmenter.cut(piece, scratch, [&words](std::string_view) { ++words; })) << piece;
    EXPECT_EQ(words, 0U) << piece;
  }
}

// Random pieces over characters that make many dictionary words, kana runs of every length
// and supplementary ideographs: the costs, the katakana candidates and the ties all matter.
TEST(CjkSegmenter, CutsRandomPiecesAsIcu) {
  const cjk_segmenter& segmenter = the_segmenter();
  const auto pool = characters(
      "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家"
      "学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本見経"
      "頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者"
      "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
      "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽっゃゅょ"
      "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
      "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポッャュョーーー𠮷𠀀𡈽々々ゝゞヽヾ");
  // Katakana mostly: runs about the 20 characters a run may have, and their costs.
  const auto kana =
      characters("アイウエオカキクケコサシスセソタチツテトパピプペポッャュョーーーのは日本");
  // The same pieces on every run: a failure can be replayed.
  std::mt19937 random(20261204);  // NOLINT(cert-msc32-c,cert-msc51-cpp)
  std::uniform_int_distribution<std::size_t> length(2, 40);
  for (int n = 0; n < 20000; ++n) {
    const auto& from = n % 4 == 0 ? kana : pool;
    std::uniform_int_distribution<std::size_t> pick(0, from.size() - 1);
    std::string piece;
    for (std::size_t i = length(random); i > 0; --i) {
      piece += from[pick(random)];
    }
    ASSERT_TRUE(segmenter.handles(piece)) << piece;
    ASSERT_EQ(cut(segmenter, piece), icu_words(piece)) << piece;
  }
}

// The longest runs of characters it takes, from the text of a page (its markup is ASCII),
// where they make a piece it cuts.
std::set<std::string> pieces_of(const std::string& page, const cjk_segmenter& segmenter) {
  std::set<std::string> pieces;
  std::string piece;
  const auto end_piece = [&] {
    if (segmenter.handles(piece)) {
      pieces.insert(piece);
    }
    piece.clear();
  };
  for (std::size_t i = 0; i < page.size();) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
    const auto* bytes = reinterpret_cast<const unsigned char*>(page.data() + i);
    const std::size_t n = std::min(utf8::sequence_length(*bytes), page.size() - i);
    if (segmenter.takes(utf8::decode(bytes, n))) {
      piece.append(page, i, n);
    } else {
      end_piece();
    }
    i += n;
  }
  end_piece();
  return pieces;
}

TEST(CjkSegmenter, CutsEveryPieceOfTheChineseAndJapanesePagesAsIcu) {
  const cjk_segmenter& segmenter = the_segmenter();
  std::set<std::string> pieces;
  for (const char* language : {"ja-JP", "zh-CN", "zh-TW"}) {
    const std::filesystem::path dir =
        std::filesystem::path("/usr/share/doc/debian-handbook/html") / language;
    if (!std::filesystem::is_directory(dir)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".html") {
        continue;
      }
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string page((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      pieces.merge(pieces_of(page, segmenter));
    }
  }
  if (pieces.empty()) {
    GTEST_SKIP() << "no Chinese or Japanese documentation pages installed";
  }
  std::size_t differ = 0;
  for (const auto& piece : pieces) {
    const auto ours = cut(segmenter, piece);
    const auto icus = icu_words(piece);
    if (ours != icus) {
      ++differ;
      ADD_FAILURE() << piece;
      if (differ > 10) {
        break;
      }
    }
  }
  EXPECT_EQ(differ, 0U) << "of " << pieces.size() << " pieces";
  RecordProperty("pieces", static_cast<int>(pieces.size()));
}

}  // namespace
}  // namespace wordcrawl::testing
