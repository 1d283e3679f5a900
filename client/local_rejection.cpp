#include "local_rejection.hpp"

#include <cstddef>
#include <cstdint>

#include "wordcrawl/defaults.hpp"

namespace wordcrawl {
namespace {

// Length of the sequence that starts with lead, 0 if lead cannot start one.
std::size_t sequence_length(std::uint8_t lead) {
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    return 4;
  }
  return 0;
}

// The second byte's range depends on the lead: it rules out overlongs, surrogates and
// code points above U+10FFFF (RFC 3629, section 4).
bool second_byte_ok(std::uint8_t lead, std::uint8_t second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;
    case 0xED:
      return second >= 0x80 && second <= 0x9F;
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;
    default:
      return second >= 0x80 && second <= 0xBF;
  }
}

std::uint8_t byte_at(std::string_view text, std::size_t i) {
  return static_cast<std::uint8_t>(text[i]);
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = byte_at(text, i);
    const auto length = sequence_length(lead);
    if (length == 0 || i + length > text.size()) {
      return false;
    }
    if (length > 1 && !second_byte_ok(lead, byte_at(text, i + 1))) {
      return false;
    }
    for (std::size_t k = 2; k < length; ++k) {
      if ((byte_at(text, i + k) & 0xC0U) != 0x80U) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

std::optional<std::string> local_rejection(const url_line& line) {
  if (line.too_long) {
    return "URL longer than " + std::to_string(max_line_bytes) + " bytes";
  }
  if (!is_valid_utf8(line.url)) {
    return "URL is not valid UTF-8";
  }
  return std::nullopt;
}

}  // namespace wordcrawl
