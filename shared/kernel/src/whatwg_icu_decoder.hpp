#pragma once

// Streaming decode of a legacy encoding to UTF-8 with ICU: converter state survives between
// chunks, and every invalid or unmapped byte sequence becomes U+FFFD.

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

namespace wordcrawl::whatwg {

class icu_decoder {
 public:
  icu_decoder() = default;
  ~icu_decoder() = default;
  // The pivot pointers point into the object itself.
  icu_decoder(const icu_decoder&) = delete;
  icu_decoder& operator=(const icu_decoder&) = delete;

  /// Opens (or resets, if already open) the ICU converter with this name; false on failure.
  bool open(const char* icu_name);

  /// Decodes the next bytes; flush marks the end of the stream. Valid until the next call.
  std::string_view decode(std::string_view bytes, bool flush);

 private:
  struct converter_closer {
    void operator()(UConverter* converter) const { ucnv_close(converter); }
  };
  using converter_ptr = std::unique_ptr<UConverter, converter_closer>;

  void reset_pivot();

  converter_ptr source_;
  std::string source_name_;
  converter_ptr utf8_;
  std::array<UChar, 1024> pivot_{};
  UChar* pivot_source_ = pivot_.data();
  UChar* pivot_target_ = pivot_.data();
  std::string out_;
};

}  // namespace wordcrawl::whatwg
