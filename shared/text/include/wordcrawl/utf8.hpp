#pragma once

// UTF-8 encoding and decoding of single code points, shared by the extractor and the counter.

#include <array>
#include <cstddef>
#include <string>

namespace wordcrawl::utf8 {

/// Up to four bytes of one encoded code point.
struct encoded {
  std::array<char, 4> bytes{};
  std::size_t size = 0;

  /// The encoded bytes as a string view.
  std::string_view view() const { return {bytes.data(), size}; }
};

/// Encodes cp (a scalar value; callers replace surrogates and out-of-range values first).
inline encoded encode(char32_t cp) {
  encoded out;
  auto put = [&out](unsigned value) {
    out.bytes.at(out.size++) = static_cast<char>(value);
  };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0U | (cp >> 6U));
    put(0x80U | (cp & 0x3FU));
  } else if (cp < 0x10000) {
    put(0xE0U | (cp >> 12U));
    put(0x80U | ((cp >> 6U) & 0x3FU));
    put(0x80U | (cp & 0x3FU));
  } else {
    put(0xF0U | (cp >> 18U));
    put(0x80U | ((cp >> 12U) & 0x3FU));
    put(0x80U | ((cp >> 6U) & 0x3FU));
    put(0x80U | (cp & 0x3FU));
  }
  return out;
}

/// Appends the encoding of cp to out.
inline void append(std::string& out, char32_t cp) {
  out.append(encode(cp).view());
}

/// Length of the sequence a lead byte starts (1 for ASCII and for invalid lead bytes, which
/// the decoder then rejects on its own).
inline std::size_t sequence_length(unsigned char lead) {
  if (lead < 0xC0) {
    return 1;
  }
  if (lead < 0xE0) {
    return 2;
  }
  if (lead < 0xF0) {
    return 3;
  }
  return 4;
}

/// The replacement character, used for anything that is not valid UTF-8.
inline constexpr char32_t replacement = 0xFFFD;

/// Decodes one complete sequence of sequence_length(p[0]) bytes; invalid -> U+FFFD.
inline char32_t decode(const unsigned char* p, std::size_t length) {
  const auto cont = [p](std::size_t i) {
    return (p[i] & 0xC0U) == 0x80U;
  };
  switch (length) {
    case 1:
      if (p[0] < 0x80) {
        return p[0];
      }
      break;
    case 2:
      if (p[0] >= 0xC2 && cont(1)) {
        return ((p[0] & 0x1FU) << 6U) | (p[1] & 0x3FU);
      }
      break;
    case 3:
      if (cont(1) && cont(2)) {
        const char32_t cp = ((p[0] & 0x0FU) << 12U) | ((p[1] & 0x3FU) << 6U) | (p[2] & 0x3FU);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
          return cp;
        }
      }
      break;
    case 4:
      if (p[0] <= 0xF4 && cont(1) && cont(2) && cont(3)) {
        const char32_t cp = ((p[0] & 0x07U) << 18U) | ((p[1] & 0x3FU) << 12U) |
                            ((p[2] & 0x3FU) << 6U) | (p[3] & 0x3FU);
        if (cp >= 0x10000 && cp <= 0x10FFFF) {
          return cp;
        }
      }
      break;
    default:
      break;
  }
  return replacement;
}

}  // namespace wordcrawl::utf8
