#include "html_entities.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "wordcrawl/utf8.hpp"

namespace wordcrawl::html_entities {
namespace {

struct entity {
  std::string_view name;
  std::string_view value;
};

// Defines entity_table (sorted by name), entity_count and entity_longest_name.
#include "html_entities.inc"

// HTML5 "numeric character reference end state": C1 controls written as numeric references
// mean the windows-1252 character with that byte. Zero marks the five undefined bytes.
constexpr std::array<char16_t, 32> windows_1252_c1{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

names every_name() {
  return {0, static_cast<std::uint32_t>(entity_table.size())};
}

names narrow(names candidates, std::size_t length, char c) {
  // Sorted by name, candidates with a common prefix of `length` are sorted by their next
  // character, as unsigned, with a name that ends there (-1) first.
  const auto next = [length](const entity& e) {
    return e.name.size() > length ? int{static_cast<unsigned char>(e.name[length])} : -1;
  };
  const int key = static_cast<unsigned char>(c);
  const auto* begin = entity_table.begin() + candidates.first;
  const auto* end = entity_table.begin() + candidates.last;
  const auto* from =
      std::partition_point(begin, end, [&](const entity& e) { return next(e) < key; });
  const auto* to = std::partition_point(from, end, [&](const entity& e) { return next(e) == key; });
  return {static_cast<std::uint32_t>(from - entity_table.begin()),
          static_cast<std::uint32_t>(to - entity_table.begin())};
}

std::string_view complete_value(names candidates, std::size_t length) {
  if (candidates.empty() || entity_table.at(candidates.first).name.size() != length) {
    return {};
  }
  return entity_table.at(candidates.first).value;
}

std::size_t longest_name() {
  return entity_longest_name;
}

char32_t numeric_value(char32_t value) {
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return utf8::replacement;
  }
  if (value >= 0x80 && value <= 0x9F) {
    const char16_t mapped = windows_1252_c1.at(value - 0x80);
    return mapped != 0 ? mapped : value;
  }
  return value;
}

}  // namespace wordcrawl::html_entities
