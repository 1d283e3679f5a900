#include "wordcrawl/stop_words.hpp"

#include <algorithm>
#include <array>

namespace wordcrawl {
namespace {

// Defines words_<code> for every language and stop_lists, sorted by language code; each
// list is in byte order (tests/stop_words_test.cpp checks both orders).
#include "stop_words.inc"

// ISO 639-1 has both "no" (Norwegian) and "nb" (Bokmål); the lists are keyed by "nb".
constexpr std::string_view norwegian = "no";
constexpr std::string_view bokmal = "nb";

}  // namespace

bool stop_list::contains(std::string_view folded_word) const {
  return std::binary_search(words_.begin(), words_.end(), folded_word);
}

const stop_list* find_stop_list(std::string_view code) {
  const std::string_view key = code == norwegian ? bokmal : code;
  const auto* it = std::lower_bound(
      stop_lists.begin(), stop_lists.end(), key,
      [](const stop_list& list, std::string_view wanted) { return list.language() < wanted; });
  if (it == stop_lists.end() || it->language() != key) {
    return nullptr;
  }
  return &*it;
}

std::vector<std::string_view> stop_list_languages() {
  std::vector<std::string_view> codes;
  codes.reserve(stop_lists.size());
  for (const stop_list& list : stop_lists) {
    codes.push_back(list.language());
  }
  return codes;
}

}  // namespace wordcrawl
