#include "whatwg_utf8.hpp"

#include <cstdint>
#include <cstring>

namespace wordcrawl::whatwg {
namespace {

constexpr std::string_view replacement_utf8 = "\xEF\xBF\xBD";
constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

// Length of the sequence a lead byte starts and the range its second byte must lie in; 0 for
// a byte that cannot start a sequence.
struct lead_info {
  std::size_t length = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
};

lead_info classify_lead(unsigned char byte) {
  if (byte >= 0xC2 && byte <= 0xDF) {
    return {2, 0x80, 0xBF};
  }
  if (byte >= 0xE0 && byte <= 0xEF) {
    // E0 would be overlong below A0; ED A0..BF would be surrogates.
    return {3, static_cast<unsigned char>(byte == 0xE0 ? 0xA0 : 0x80),
            static_cast<unsigned char>(byte == 0xED ? 0x9F : 0xBF)};
  }
  if (byte >= 0xF0 && byte <= 0xF4) {
    // F0 would be overlong below 90; F4 above 8F would pass U+10FFFF.
    return {4, static_cast<unsigned char>(byte == 0xF0 ? 0x90 : 0x80),
            static_cast<unsigned char>(byte == 0xF4 ? 0x8F : 0xBF)};
  }
  return {};
}

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

unsigned char byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<unsigned char>(bytes[i]);
}

// Length of the complete valid sequence at bytes[i], or 0 if it is invalid or cut short.
std::size_t sequence_length(std::string_view bytes, std::size_t i) {
  const auto lead = classify_lead(byte_at(bytes, i));
  if (lead.length == 0 || bytes.size() - i < lead.length) {
    return 0;
  }
  const auto second = byte_at(bytes, i + 1);
  if (second < lead.lower || second > lead.upper) {
    return 0;
  }
  for (std::size_t k = 2; k < lead.length; ++k) {
    if (!is_continuation(byte_at(bytes, i + k))) {
      return 0;
    }
  }
  return lead.length;
}

// Whether rest is the start of a valid sequence that only lacks its last bytes.
bool is_partial_sequence(std::string_view rest) {
  const auto lead = classify_lead(byte_at(rest, 0));
  if (rest.size() >= lead.length) {
    return false;
  }
  if (rest.size() >= 2 && (byte_at(rest, 1) < lead.lower || byte_at(rest, 1) > lead.upper)) {
    return false;
  }
  return rest.size() < 3 || is_continuation(byte_at(rest, 2));
}

}  // namespace

std::size_t valid_utf8_prefix(std::string_view bytes) {
  std::size_t i = 0;
  const std::size_t size = bytes.size();
  while (i < size) {
    // Eight ASCII bytes at a time: the common case in markup and Latin text.
    if (size - i >= sizeof(std::uint64_t)) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes.data() + i, sizeof word);
      if ((word & high_bits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    if (byte_at(bytes, i) < 0x80) {
      ++i;
      continue;
    }
    const auto length = sequence_length(bytes, i);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return i;
}

void utf8_decoder::reset() {
  clear_sequence();
  out_.clear();
}

std::string_view utf8_decoder::decode(std::string_view bytes) {
  if (needed_ == 0) {
    const auto valid = valid_utf8_prefix(bytes);
    if (valid == bytes.size()) {
      return bytes;
    }
    const auto rest = bytes.substr(valid);
    if (is_partial_sequence(rest)) {
      // A character split at the chunk border: keep its start, still without copying.
      for (const char byte : rest) {
        step(static_cast<unsigned char>(byte));
      }
      return bytes.substr(0, valid);
    }
    out_.assign(bytes.substr(0, valid));
    repair(bytes.substr(valid));
    return out_;
  }
  out_.clear();
  repair(bytes);
  return out_;
}

std::string_view utf8_decoder::finish() {
  out_.clear();
  if (needed_ != 0) {
    clear_sequence();
    out_.append(replacement_utf8);
  }
  return out_;
}

void utf8_decoder::repair(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (needed_ == 0) {
      const auto valid = valid_utf8_prefix(bytes.substr(i));
      out_.append(bytes.substr(i, valid));
      i += valid;
      if (i == bytes.size()) {
        break;
      }
    }
    step(byte_at(bytes, i));
    ++i;
  }
}

// One byte of the standard's state machine; a byte that breaks a pending sequence ends it
// with U+FFFD and is then looked at again as a possible lead byte.
void utf8_decoder::step(unsigned char byte) {
  if (needed_ != 0) {
    if (byte >= lower_ && byte <= upper_) {
      sequence_.at(seen_++) = static_cast<char>(byte);
      lower_ = 0x80;
      upper_ = 0xBF;
      if (seen_ == needed_) {
        out_.append(sequence_.data(), seen_);
        clear_sequence();
      }
      return;
    }
    clear_sequence();
    out_.append(replacement_utf8);
  }
  if (byte < 0x80) {
    out_.push_back(static_cast<char>(byte));
    return;
  }
  const auto lead = classify_lead(byte);
  if (lead.length == 0) {
    out_.append(replacement_utf8);
    return;
  }
  sequence_.at(0) = static_cast<char>(byte);
  seen_ = 1;
  needed_ = lead.length;
  lower_ = lead.lower;
  upper_ = lead.upper;
}

void utf8_decoder::clear_sequence() {
  seen_ = 0;
  needed_ = 0;
  lower_ = 0x80;
  upper_ = 0xBF;
}

}  // namespace wordcrawl::whatwg
