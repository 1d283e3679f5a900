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

lookup_result lookup(std::string_view name) {
  const auto* it =
      std::lower_bound(entity_table.begin(), entity_table.end(), name,
                       [](const entity& e, std::string_view key) { return e.name < key; });
  lookup_result result;
  if (it == entity_table.end() || !it->name.starts_with(name)) {
    return result;
  }
  result.is_prefix = true;
  if (it->name.size() == name.size()) {
    result.value = it->value;
  }
  return result;
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
