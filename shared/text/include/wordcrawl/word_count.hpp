#pragma once

#include <cstdint>
#include <string>

namespace wordcrawl {

/// One entry of a page's top-k: a case-folded word (UTF-8) and how often it occurs.
struct word_count {
  std::string word;
  std::uint64_t count = 0;

  friend bool operator==(const word_count&, const word_count&) = default;
};

}  // namespace wordcrawl
