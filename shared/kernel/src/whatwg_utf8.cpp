#include "whatwg_utf8.hpp"

#include "wordcrawl/utf8.hpp"

namespace wordcrawl::whatwg {
namespace {

using utf8::classify_lead;
using utf8::is_continuation;
using utf8::valid_utf8_prefix;

unsigned char byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<unsigned char>(bytes[i]);
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
    out_.append(utf8::replacement_character);
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
    out_.append(utf8::replacement_character);
  }
  if (byte < 0x80) {
    out_.push_back(static_cast<char>(byte));
    return;
  }
  const auto lead = classify_lead(byte);
  if (lead.length == 0) {
    out_.append(utf8::replacement_character);
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
