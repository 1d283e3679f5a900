#pragma once

// The WHATWG UTF-8 decoder, streaming: valid input passes through without a copy; each
// maximal ill-formed subsequence becomes one U+FFFD, also when a sequence is split between
// chunks.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace wordcrawl::whatwg {

class utf8_decoder {
 public:
  /// Forgets any partial sequence.
  void reset();

  /// Decodes the next bytes: a view of bytes itself when they need no repair and no sequence
  /// is pending, else a view of an internal buffer. Valid until the next call.
  std::string_view decode(std::string_view bytes);

  /// Ends the stream: a pending partial sequence becomes U+FFFD.
  std::string_view finish();

 private:
  void repair(std::string_view bytes);
  void step(unsigned char byte);
  void clear_sequence();

  std::string out_;
  std::array<char, 4> sequence_{};
  std::size_t seen_ = 0;    // bytes of sequence_ received
  std::size_t needed_ = 0;  // bytes sequence_ needs in all; 0 when no sequence is pending
  unsigned char lower_ = 0x80;
  unsigned char upper_ = 0xBF;
};

}  // namespace wordcrawl::whatwg
