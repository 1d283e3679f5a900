#pragma once

// Single-byte encodings the ICU data in Debian lacks or that the standard defines itself:
// iso-8859-16 and x-user-defined. Bytes below 0x80 are ASCII.

#include <string>
#include <string_view>

namespace wordcrawl::whatwg {

class single_byte_decoder {
 public:
  /// Selects the encoding; returns false if it is not one of the two handled here.
  bool open(std::string_view encoding);

  /// Decodes the bytes; the view is valid until the next call.
  std::string_view decode(std::string_view bytes);

 private:
  char32_t high_code_point(unsigned char byte) const;

  bool user_defined_ = false;
  std::string out_;
};

}  // namespace wordcrawl::whatwg
