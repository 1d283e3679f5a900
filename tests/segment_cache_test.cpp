#include "segment_cache.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spaceless_segmenter.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Looks piece up, appending the words it was stored with.
bool find(const segment_cache& cache, std::string_view piece, std::vector<std::string>& words) {
  return cache.find(piece, segment_cache::hash(piece),
                    [&words](std::string_view word) { words.emplace_back(word); });
}

void store(segment_cache& cache, std::string_view piece,
           const std::vector<segment_cache::word_span>& words) {
  cache.store(piece, segment_cache::hash(piece), words);
}

TEST(SegmentCache, GivesBackTheWordsAPieceWasStoredWith) {
  segment_cache cache;
  std::vector<std::string> words;
  EXPECT_FALSE(find(cache, "日本語のテキスト", words));
  store(cache, "日本語のテキスト", {{0, 9}, {9, 12}, {12, 24}});
  EXPECT_TRUE(find(cache, "日本語のテキスト", words));
  EXPECT_THAT(words, ElementsAre("日本語", "の", "テキスト"));
  words.clear();
  EXPECT_FALSE(find(cache, "日本語の", words));
  EXPECT_THAT(words, IsEmpty());
}

TEST(SegmentCache, RemembersAPieceWithoutWords) {
  segment_cache cache;
  store(cache, "๑๒๓", {});
  std::vector<std::string> words;
  EXPECT_TRUE(find(cache, "๑๒๓", words));
  EXPECT_THAT(words, IsEmpty());
}

TEST(SegmentCache, SkipsPiecesTooLongOrWithTooManyWords) {
  segment_cache cache;
  std::string long_piece;
  while (long_piece.size() <= segment_cache::max_piece_bytes) {
    long_piece += "語";
  }
  store(cache, long_piece, {{0, 3}});
  const std::string many(segment_cache::max_words + 1, 'a');
  std::vector<segment_cache::word_span> spans;
  for (std::size_t i = 0; i < many.size(); ++i) {
    spans.push_back({static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i + 1)});
  }
  store(cache, many, spans);
  std::vector<std::string> words;
  EXPECT_FALSE(find(cache, long_piece, words));
  EXPECT_FALSE(find(cache, many, words));
  EXPECT_FALSE(find(cache, "", words));
}

TEST(SegmentCache, StaysWithinItsSlotsHoweverManyPiecesItSees) {
  segment_cache cache;
  EXPECT_EQ(cache.memory_bytes(), 0U);
  store(cache, "語0", {{0, 3}});
  const std::size_t memory = cache.memory_bytes();
  EXPECT_GT(memory, 0U);
  constexpr std::size_t pieces = 4 * segment_cache::slot_count;
  for (std::size_t i = 0; i < pieces; ++i) {
    store(cache, "語" + std::to_string(i), {{0, 3}});
  }
  EXPECT_EQ(cache.memory_bytes(), memory);
  std::size_t found = 0;
  std::vector<std::string> words;
  for (std::size_t i = 0; i < pieces; ++i) {
    if (find(cache, "語" + std::to_string(i), words)) {
      ++found;
    }
  }
  EXPECT_LE(found, segment_cache::slot_count);
  EXPECT_TRUE(find(cache, "語" + std::to_string(pieces - 1), words));
  cache.clear();
  EXPECT_FALSE(find(cache, "語" + std::to_string(pieces - 1), words));
  EXPECT_EQ(cache.memory_bytes(), memory);
}

// Thai and half-width katakana are cut by ICU's iterator (cjk_segmenter takes neither).
TEST(SpacelessSegmenter, CutsARememberedPieceAsIcuDid) {
  spaceless_segmenter segmenter;
  std::vector<std::string> cut;
  const auto into = [](std::vector<std::string>& words) {
    return [&words](std::string_view word) {
      words.emplace_back(word);
    };
  };
  EXPECT_FALSE(segmenter.queue("ภาษาไทย", into(cut)));
  EXPECT_FALSE(segmenter.queue("ｶﾀｶﾅﾃｷｽﾄ", into(cut)));
  EXPECT_THAT(cut, IsEmpty());  // queued for ICU
  segmenter.flush(into(cut));
  EXPECT_THAT(cut, ElementsAre("ภาษา", "ไทย", "ｶﾀｶﾅ", "ﾃｷｽﾄ"));

  std::vector<std::string> remembered;
  EXPECT_FALSE(segmenter.queue("ภาษาไทย", into(remembered)));
  EXPECT_FALSE(segmenter.queue("ｶﾀｶﾅﾃｷｽﾄ", into(remembered)));
  EXPECT_THAT(remembered, ElementsAre("ภาษา", "ไทย", "ｶﾀｶﾅ", "ﾃｷｽﾄ"));
  segmenter.flush(into(remembered));
  EXPECT_EQ(remembered, cut);
  EXPECT_GT(segmenter.cache().memory_bytes(), 0U);
}

// Han and kana as ICU's dictionary engine takes them need no batch: their words come at once.
TEST(SpacelessSegmenter, CutsHanAndKanaAtOnce) {
  spaceless_segmenter segmenter;
  std::vector<std::string> cut;
  const auto into = [&cut](std::string_view word) {
    cut.emplace_back(word);
  };
  EXPECT_FALSE(segmenter.queue("日本語のテキスト", into));
  EXPECT_FALSE(segmenter.queue("中文分词测试", into));
  EXPECT_THAT(cut, ElementsAre("日本語", "の", "テキスト", "中文", "分词", "测试"));
  segmenter.flush(into);
  EXPECT_EQ(cut.size(), 6U);
}

}  // namespace
}  // namespace wordcrawl::testing
