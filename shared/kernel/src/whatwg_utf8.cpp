#include "whatwg_utf8.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "kernel_isa.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl::whatwg {
namespace {

using utf8::classify_lead;
using utf8::is_continuation;

unsigned char byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<unsigned char>(bytes[i]);
}

#if defined(__x86_64__)
// The lookup-table validator of Keiser and Lemire ("Validating UTF-8 in less than one
// instruction per byte", 2021), 32 bytes at a time: each byte's error bits from its high
// nibble, its predecessor's high and low nibbles, and whether it must continue a 3- or 4-byte
// sequence. It tells whether a block is valid, not where it stops being valid; that, and the
// tail shorter than a block, is left to utf8::valid_utf8_prefix, which restarts at the last
// sequence start before the block.
namespace lookup {
constexpr std::uint8_t too_short = 1U << 0U;  // lead byte, then not a continuation
constexpr std::uint8_t too_long = 1U << 1U;   // ASCII, then a continuation
constexpr std::uint8_t overlong_3 = 1U << 2U;
constexpr std::uint8_t too_large = 1U << 3U;
constexpr std::uint8_t surrogate = 1U << 4U;
constexpr std::uint8_t overlong_2 = 1U << 5U;
constexpr std::uint8_t too_large_1000 = 1U << 6U;
constexpr std::uint8_t overlong_4 = 1U << 6U;
constexpr std::uint8_t two_continuations = 1U << 7U;
constexpr std::uint8_t carry = too_short | too_long | two_continuations;
}  // namespace lookup

__attribute__((target("avx2"), always_inline)) inline __m256i table16(
    std::array<std::uint8_t, 16> t) {
  return _mm256_setr_epi8(
      static_cast<char>(t[0]), static_cast<char>(t[1]), static_cast<char>(t[2]),
      static_cast<char>(t[3]), static_cast<char>(t[4]), static_cast<char>(t[5]),
      static_cast<char>(t[6]), static_cast<char>(t[7]), static_cast<char>(t[8]),
      static_cast<char>(t[9]), static_cast<char>(t[10]), static_cast<char>(t[11]),
      static_cast<char>(t[12]), static_cast<char>(t[13]), static_cast<char>(t[14]),
      static_cast<char>(t[15]), static_cast<char>(t[0]), static_cast<char>(t[1]),
      static_cast<char>(t[2]), static_cast<char>(t[3]), static_cast<char>(t[4]),
      static_cast<char>(t[5]), static_cast<char>(t[6]), static_cast<char>(t[7]),
      static_cast<char>(t[8]), static_cast<char>(t[9]), static_cast<char>(t[10]),
      static_cast<char>(t[11]), static_cast<char>(t[12]), static_cast<char>(t[13]),
      static_cast<char>(t[14]), static_cast<char>(t[15]));
}

// The bytes of input shifted back by N, the last N of previous in front.
template <int N>
__attribute__((target("avx2"), always_inline)) inline __m256i previous(__m256i input,
                                                                       __m256i previous_block) {
  return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(previous_block, input, 0x21), 16 - N);
}

__attribute__((target("avx2"), always_inline)) inline __m256i high_nibbles(__m256i v) {
  return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

// Nonzero bytes where input (after previous_block) breaks a rule.
__attribute__((target("avx2"))) __m256i block_errors(__m256i input, __m256i previous_block) {
  using lookup::carry;
  using lookup::overlong_2;
  using lookup::overlong_3;
  using lookup::overlong_4;
  using lookup::surrogate;
  using lookup::too_large;
  using lookup::too_large_1000;
  using lookup::too_long;
  using lookup::too_short;
  using lookup::two_continuations;
  const __m256i prev1 = previous<1>(input, previous_block);
  const __m256i byte_1_high = _mm256_shuffle_epi8(
      table16({too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long,
               two_continuations, two_continuations, two_continuations, two_continuations,
               too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
               too_short | too_large | too_large_1000 | overlong_4}),
      high_nibbles(prev1));
  constexpr std::uint8_t large = carry | too_large | too_large_1000;
  const __m256i byte_1_low =
      _mm256_shuffle_epi8(table16({carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2,
                                   carry, carry, carry | too_large, large, large, large, large,
                                   large, large, large, large, large | surrogate, large, large}),
                          _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)));
  constexpr std::uint8_t continuation = too_long | overlong_2 | two_continuations;
  const __m256i byte_2_high = _mm256_shuffle_epi8(
      table16({too_short, too_short, too_short, too_short, too_short, too_short, too_short,
               too_short, continuation | overlong_3 | too_large_1000 | overlong_4,
               continuation | overlong_3 | too_large, continuation | surrogate | too_large,
               continuation | surrogate | too_large, too_short, too_short, too_short, too_short}),
      high_nibbles(input));
  const __m256i special = _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
  // Third and fourth bytes of a sequence must be continuations (0x80 where they must).
  const __m256i third =
      _mm256_subs_epu8(previous<2>(input, previous_block), _mm256_set1_epi8(0xE0 - 0x80));
  const __m256i fourth = _mm256_subs_epu8(previous<3>(input, previous_block),
                                          _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
  const __m256i must_continue =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must_continue, special);
}

__attribute__((target("avx2"))) std::size_t valid_utf8_prefix_avx2(std::string_view bytes) {
  const char* data = bytes.data();
  const std::size_t size = bytes.size();
  __m256i previous_block = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; size - i >= 32; i += 32) {
    __m256i input;
    std::memcpy(&input, data + i, sizeof input);
    if (_mm256_movemask_epi8(input) != 0 || _mm256_movemask_epi8(previous_block) != 0) {
      const __m256i errors = block_errors(input, previous_block);
      if (_mm256_testz_si256(errors, errors) == 0) {
        break;
      }
    }
    previous_block = input;
  }
  // Everything before i is valid but for a sequence its last bytes may have left open:
  // restart at a lead byte among them.
  std::size_t restart = i;
  for (std::size_t back = 1; back <= 3 && back <= i; ++back) {
    const unsigned char b = byte_at(bytes, i - back);
    if (b >= 0xC0) {
      restart = i - back;
      break;
    }
    if (b < 0x80) {
      break;
    }
  }
  return restart + utf8::valid_utf8_prefix(bytes.substr(restart));
}
#endif

std::size_t valid_utf8_prefix(std::string_view bytes) {
#if defined(__x86_64__)
  if (kernel_isa::active() == kernel_isa::level::avx2) {
    return valid_utf8_prefix_avx2(bytes);
  }
#endif
  return utf8::valid_utf8_prefix(bytes);
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
