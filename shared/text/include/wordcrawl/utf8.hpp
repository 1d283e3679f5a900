#pragma once

// UTF-8: encoding and decoding of single code points (the extractor and the counter) and
// validation (the charset decoder, the server's URL check and the client's).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

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

/// The replacement character, encoded.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

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

/// What a lead byte says about its sequence: how long it is (0 for a byte that cannot start
/// one) and the range its second byte must lie in.
struct lead_byte {
  std::size_t length = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
};

/// Classifies a byte >= 0x80 as a lead byte (RFC 3629, section 4: the second byte's range is
/// what rules out overlongs, surrogates and code points past U+10FFFF).
constexpr lead_byte classify_lead(unsigned char byte) {
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

/// 10xxxxxx.
constexpr bool is_continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

namespace detail {

inline unsigned char byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<unsigned char>(bytes[i]);
}

// Length of the complete valid multibyte sequence at bytes[i], or 0 if it is invalid or cut
// short.
inline std::size_t valid_sequence_length(std::string_view bytes, std::size_t i) {
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

}  // namespace detail

/// Length of the longest prefix of bytes made of complete, valid UTF-8 sequences.
inline std::size_t valid_utf8_prefix(std::string_view bytes) {
  constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
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
    if (detail::byte_at(bytes, i) < 0x80) {
      ++i;
      continue;
    }
    const auto length = detail::valid_sequence_length(bytes, i);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return i;
}

/// Whether text is well-formed UTF-8: no overlongs, surrogates, code points past U+10FFFF or
/// sequences cut short.
inline bool is_valid_utf8(std::string_view text) {
  return valid_utf8_prefix(text) == text.size();
}

/// text with every control character written as an escape ("\x1b" for ESC; C1 controls such
/// as U+009B as "\u009b"), for showing text that came from a fetched server on a terminal,
/// where a control sequence could rewrite the screen. Other bytes are kept as they are.
inline std::string printable(std::string_view text) {
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0U;
    if (byte < 0x20 || byte == 0x7F) {
      out += "\\x";
      out.push_back(hex[byte >> 4U]);
      out.push_back(hex[byte & 0xFU]);
    } else if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += "\\u00";
      out.push_back(hex[next >> 4U]);
      out.push_back(hex[next & 0xFU]);
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace wordcrawl::utf8
