#include "word_selection.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace wordcrawl {
namespace {

bool is_stop_word(const std::vector<const stop_list*>& stops, std::string_view word) {
  return std::any_of(stops.begin(), stops.end(),
                     [word](const stop_list* list) { return list->contains(word); });
}

// A stem's group: its total and its most frequent surface form.
struct group {
  std::uint64_t count = 0;
  std::string shown{};
  std::uint64_t shown_count = 0;
};

void add_to(group& g, std::string_view word, std::uint64_t count) {
  g.count += count;
  if (count > g.shown_count || (count == g.shown_count && word < g.shown)) {
    g.shown.assign(word);
    g.shown_count = count;
  }
}

std::vector<word_count> top_of(std::vector<word_count> words, std::size_t k) {
  const auto before = [](const word_count& a, const word_count& b) {
    return a.count != b.count ? a.count > b.count : a.word < b.word;
  };
  const auto n = std::min(k, words.size());
  std::partial_sort(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n), words.end(),
                    before);
  words.resize(n);
  return words;
}

}  // namespace

std::vector<word_count> select_words(word_counter& counter,
                                     const std::vector<const stop_list*>& stops,
                                     word_stemmer& stemmer, std::string_view stem_language,
                                     std::size_t k) {
  std::vector<word_count> words;
  if (stem_language.empty()) {
    counter.for_each_word([&](std::string_view word, std::uint64_t count) {
      if (!is_stop_word(stops, word)) {
        words.push_back({std::string(word), count});
      }
    });
    return top_of(std::move(words), k);
  }
  std::unordered_map<std::string, group> groups;
  counter.for_each_word([&](std::string_view word, std::uint64_t count) {
    if (!is_stop_word(stops, word)) {
      add_to(groups[std::string(stemmer.stem(stem_language, word))], word, count);
    }
  });
  words.reserve(groups.size());
  for (auto& [stem, g] : groups) {
    words.push_back({std::move(g.shown), g.count});
  }
  return top_of(std::move(words), k);
}

}  // namespace wordcrawl
