#pragma once

// Reading what a program wrote: its lines, and how often a piece of text occurs in it.

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl::testing {

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

/// Occurrences of needle in text, overlapping ones included.
inline std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace wordcrawl::testing
