#include "whatwg_icu_decoder.hpp"

#include <algorithm>
#include <cstddef>

namespace wordcrawl::whatwg {
namespace {

// ICU's default substitution writes U+001A for a single bad byte in some converters; the
// standard always wants U+FFFD.
void substitute_replacement_character(const void* /*context*/, UConverterToUnicodeArgs* args,
                                      const char* /*code_units*/, int32_t /*length*/,
                                      UConverterCallbackReason reason, UErrorCode* status) {
  if (reason > UCNV_IRREGULAR) {
    return;  // reset, close or clone: nothing to write
  }
  *status = U_ZERO_ERROR;
  const UChar replacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
}

bool failed(UErrorCode status) {
  return status > U_ZERO_ERROR;
}

}  // namespace

bool icu_decoder::open(const char* icu_name) {
  UErrorCode status = U_ZERO_ERROR;
  if (!utf8_) {
    utf8_.reset(ucnv_open("UTF-8", &status));
    if (failed(status)) {
      utf8_.reset();
      return false;
    }
  }
  ucnv_reset(utf8_.get());
  reset_pivot();
  if (source_ && source_name_ == icu_name) {
    ucnv_reset(source_.get());
    return true;
  }
  source_.reset(ucnv_open(icu_name, &status));
  if (failed(status)) {
    source_.reset();
    source_name_.clear();
    return false;
  }
  ucnv_setToUCallBack(source_.get(), substitute_replacement_character, nullptr, nullptr, nullptr,
                      &status);
  source_name_ = icu_name;
  return !failed(status);
}

std::string_view icu_decoder::decode(std::string_view bytes, bool flush) {
  // Three UTF-8 bytes per input byte covers every legacy encoding; overflow grows it anyway.
  out_.resize(std::max<std::size_t>(bytes.size() * 3, 64));
  std::size_t used = 0;
  // ICU rejects a null source even when it is empty.
  static constexpr char nothing = 0;
  const char* source = bytes.empty() ? &nothing : bytes.data();
  const char* source_end = source + bytes.size();
  for (;;) {
    char* target = out_.data() + used;
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(utf8_.get(), source_.get(), &target, out_.data() + out_.size(), &source,
                   source_end, pivot_.data(), &pivot_source_, &pivot_target_,
                   pivot_.data() + pivot_.size(), /*reset=*/0, static_cast<UBool>(flush ? 1 : 0),
                   &status);
    used = static_cast<std::size_t>(target - out_.data());
    if (status != U_BUFFER_OVERFLOW_ERROR) {
      break;
    }
    out_.resize(out_.size() * 2);
  }
  out_.resize(used);
  if (flush) {
    ucnv_reset(source_.get());
    ucnv_reset(utf8_.get());
    reset_pivot();
  }
  return out_;
}

void icu_decoder::reset_pivot() {
  pivot_source_ = pivot_.data();
  pivot_target_ = pivot_.data();
}

}  // namespace wordcrawl::whatwg
