#include "whatwg_single_byte.hpp"

#include <array>
#include <cstddef>

namespace wordcrawl::whatwg {
namespace {

// ISO-8859-16 from 0xA0 up; 0x80..0x9F are the C1 controls of the same value.
constexpr std::array<char16_t, 96> iso_8859_16_high = {
    0x00A0, 0x0104, 0x0105, 0x0141, 0x20AC, 0x201E, 0x0160, 0x00A7,  //
    0x0161, 0x00A9, 0x0218, 0x00AB, 0x0179, 0x00AD, 0x017A, 0x017B,  //
    0x00B0, 0x00B1, 0x010C, 0x0142, 0x017D, 0x201D, 0x00B6, 0x00B7,  //
    0x017E, 0x010D, 0x0219, 0x00BB, 0x0152, 0x0153, 0x0178, 0x017C,  //
    0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0106, 0x00C6, 0x00C7,  //
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,  //
    0x0110, 0x0143, 0x00D2, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x015A,  //
    0x0170, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x0118, 0x021A, 0x00DF,  //
    0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x0107, 0x00E6, 0x00E7,  //
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,  //
    0x0111, 0x0144, 0x00F2, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x015B,  //
    0x0171, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x0119, 0x021B, 0x00FF,  //
};

// x-user-defined maps 0x80..0xFF onto the private use area from U+F780.
constexpr char32_t user_defined_base = 0xF780;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
  } else {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
  }
  out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
}

}  // namespace

bool single_byte_decoder::open(std::string_view encoding) {
  user_defined_ = encoding == "x-user-defined";
  return user_defined_ || encoding == "iso-8859-16";
}

std::string_view single_byte_decoder::decode(std::string_view bytes) {
  out_.clear();
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out_.push_back(c);
    } else {
      append_utf8(out_, high_code_point(byte));
    }
  }
  return out_;
}

char32_t single_byte_decoder::high_code_point(unsigned char byte) const {
  if (user_defined_) {
    return user_defined_base + byte - 0x80U;
  }
  if (byte < 0xA0) {
    return byte;
  }
  return iso_8859_16_high.at(static_cast<std::size_t>(byte - 0xA0U));
}

}  // namespace wordcrawl::whatwg
