#include "wordcrawl/charset_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <unicode/ucsdet.h>

#include "whatwg_icu_decoder.hpp"
#include "whatwg_labels.hpp"
#include "whatwg_prescan.hpp"
#include "whatwg_single_byte.hpp"
#include "whatwg_utf8.hpp"
#include "wordcrawl/content_type.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

constexpr std::string_view fallback_encoding = "windows-1252";

// Statistical detection looks at this many bytes from the first non-ASCII one.
constexpr std::size_t detection_sample = 4096;

struct bom {
  std::string_view bytes;
  std::string_view encoding;
};

constexpr std::array<bom, 3> boms = {{
    {"\xEF\xBB\xBF", "utf-8"},
    {"\xFE\xFF", "utf-16be"},
    {"\xFF\xFE", "utf-16le"},
}};

std::optional<bom> match_bom(std::string_view data) {
  for (const auto& candidate : boms) {
    if (data.starts_with(candidate.bytes)) {
      return candidate;
    }
  }
  return std::nullopt;
}

bool could_become_bom(std::string_view data) {
  return std::any_of(boms.begin(), boms.end(),
                     [data](const bom& candidate) { return candidate.bytes.starts_with(data); });
}

// Where the first byte that could change meaning between ASCII-compatible encodings is: a
// non-ASCII byte, or the ESC that starts an ISO-2022-JP shift.
std::size_t first_non_ascii(std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto byte = static_cast<unsigned char>(data[i]);
    if (byte >= 0x80 || byte == 0x1B) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool failed(UErrorCode status) {
  return status > U_ZERO_ERROR;
}

struct detector_closer {
  void operator()(UCharsetDetector* detector) const { ucsdet_close(detector); }
};

}  // namespace

struct charset_decoder::impl {
  enum class phase { bom, prescan, detect, decoding };
  enum class engine { utf8, icu, single_byte, replacement };

  std::string_view choose(std::string_view bytes, bool final);
  std::string_view detect(std::string_view data, bool final);
  std::string_view detected_encoding(std::string_view sample, bool cut);
  std::string_view emit(std::string_view data, bool final);
  void select(std::string_view encoding);
  std::string_view convert(std::string_view bytes);
  std::string_view flush();
  std::string_view hold(std::string_view data);

  phase phase_ = phase::bom;
  engine engine_ = engine::utf8;
  bool html_ = false;
  bool replaced_ = false;
  bool held_consumed_ = false;  // held_ was handed to the caller; clear it on the next call
  std::string declared_;
  std::string name_;
  std::string held_;    // the first bytes, while the BOM and the prescan are undecided
  std::string sample_;  // bytes from the first non-ASCII one, while detection is undecided
  std::string staged_;  // output that had to be assembled from several pieces
  whatwg::utf8_decoder utf8_;
  whatwg::icu_decoder icu_;
  whatwg::single_byte_decoder single_byte_;
  std::unique_ptr<UCharsetDetector, detector_closer> detector_;
};

std::string_view charset_decoder::impl::choose(std::string_view bytes, bool final) {
  std::string_view data = bytes;
  if (!held_.empty()) {
    held_.append(bytes);
    data = held_;
    held_consumed_ = true;
  }
  if (phase_ == phase::bom) {
    if (const auto found = match_bom(data)) {
      select(found->encoding);
      return emit(data.substr(found->bytes.size()), final);
    }
    if (!final && could_become_bom(data)) {
      return hold(data);
    }
    if (!declared_.empty()) {
      select(declared_);
      return emit(data, final);
    }
    phase_ = html_ ? phase::prescan : phase::detect;
  }
  if (phase_ == phase::prescan) {
    if (const auto found = whatwg::prescan_meta(data)) {
      select(*found);
      return emit(data, final);
    }
    if (!final && data.size() < whatwg::prescan_limit) {
      return hold(data);
    }
    phase_ = phase::detect;
  }
  return detect(data, final);
}

// Undeclared bodies: ASCII passes straight through (it reads the same in every candidate
// encoding); from the first non-ASCII byte a bounded sample is held and classified.
std::string_view charset_decoder::impl::detect(std::string_view data, bool final) {
  std::string_view prefix;
  if (sample_.empty()) {
    const auto start = first_non_ascii(data);
    if (start == std::string_view::npos) {
      if (final) {
        select(fallback_encoding);
      }
      return data;
    }
    prefix = data.substr(0, start);
    data.remove_prefix(start);
  }
  sample_.append(data);
  if (!final && sample_.size() < detection_sample) {
    return prefix;
  }
  const std::string_view sample = sample_;
  // Unless the body has ended, more bytes follow the sample, and its last character may be cut.
  select(detected_encoding(sample.substr(0, detection_sample),
                           !final || sample.size() > detection_sample));
  // Chosen once: detecting again later would restart the decoder and lose a character held
  // across the chunk boundary.
  phase_ = phase::decoding;
  staged_.assign(prefix);
  staged_.append(convert(sample_));
  if (final) {
    staged_.append(flush());
  }
  sample_.clear();
  return staged_;
}

// cut: the sample ends inside the body, so a character may be cut in two at its end.
std::string_view charset_decoder::impl::detected_encoding(std::string_view sample, bool cut) {
  const auto valid = utf8::valid_utf8_prefix(sample);
  if (valid == sample.size() || (cut && sample.size() - valid < 4)) {
    return "utf-8";
  }
  UErrorCode status = U_ZERO_ERROR;
  if (!detector_) {
    detector_.reset(ucsdet_open(&status));
    if (failed(status)) {
      detector_.reset();
      return fallback_encoding;
    }
  }
  ucsdet_enableInputFilter(detector_.get(), static_cast<UBool>(html_ ? 1 : 0));
  ucsdet_setText(detector_.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector_.get(), &status);
  if (failed(status) || match == nullptr) {
    return fallback_encoding;
  }
  const auto encoding = whatwg::encoding_for_label(ucsdet_getName(match, &status));
  // Browsers never guess UTF-16 without a BOM, and the replacement encoding is for labels
  // only (ICU reports ISO-2022-KR and -CN, which map to it).
  if (failed(status) || encoding.empty() || encoding == "replacement" ||
      encoding.starts_with("utf-16")) {
    return fallback_encoding;
  }
  return encoding;
}

std::string_view charset_decoder::impl::emit(std::string_view data, bool final) {
  phase_ = phase::decoding;
  if (!final) {
    return convert(data);
  }
  staged_.assign(convert(data));
  staged_.append(flush());
  return staged_;
}

std::string_view charset_decoder::impl::hold(std::string_view data) {
  if (!held_consumed_) {
    held_.assign(data);
  }
  held_consumed_ = false;
  return {};
}

void charset_decoder::impl::select(std::string_view encoding) {
  name_ = encoding;
  if (encoding == "utf-8") {
    engine_ = engine::utf8;
    utf8_.reset();
  } else if (encoding == "replacement") {
    engine_ = engine::replacement;
    replaced_ = false;
  } else if (single_byte_.open(encoding)) {
    engine_ = engine::single_byte;
  } else {
    engine_ = engine::icu;
    const char* icu_name = whatwg::icu_converter_name(encoding);
    if (icu_name == nullptr || !icu_.open(icu_name)) {
      // Every encoding of the table has a converter in ICU's standard data; a trimmed ICU
      // build may lack one, and then the body still decodes rather than fails.
      name_ = fallback_encoding;
      if (!icu_.open("windows-1252")) {
        engine_ = engine::utf8;
        name_ = "utf-8";
      }
    }
  }
}

std::string_view charset_decoder::impl::convert(std::string_view bytes) {
  switch (engine_) {
    case engine::utf8:
      return utf8_.decode(bytes);
    case engine::icu:
      return icu_.decode(bytes, false);
    case engine::single_byte:
      return single_byte_.decode(bytes);
    case engine::replacement:
      if (bytes.empty() || replaced_) {
        return {};
      }
      replaced_ = true;
      return utf8::replacement_character;
  }
  return {};
}

std::string_view charset_decoder::impl::flush() {
  switch (engine_) {
    case engine::utf8:
      return utf8_.finish();
    case engine::icu:
      return icu_.decode({}, true);
    case engine::single_byte:
    case engine::replacement:
      return {};
  }
  return {};
}

charset_decoder::charset_decoder() : impl_(std::make_unique<impl>()) {}
charset_decoder::~charset_decoder() = default;
charset_decoder::charset_decoder(charset_decoder&&) noexcept = default;
charset_decoder& charset_decoder::operator=(charset_decoder&&) noexcept = default;

void charset_decoder::reset(std::string_view content_type, bool html) {
  auto& state = *impl_;
  state.phase_ = impl::phase::bom;
  state.engine_ = impl::engine::utf8;
  state.html_ = html;
  state.replaced_ = false;
  state.held_consumed_ = false;
  state.declared_ = whatwg::encoding_for_label(charset_parameter(content_type));
  state.name_.clear();
  state.held_.clear();
  state.sample_.clear();
  state.utf8_.reset();
}

std::string_view charset_decoder::decode(std::string_view bytes) {
  auto& state = *impl_;
  if (state.held_consumed_) {
    state.held_.clear();
    state.held_consumed_ = false;
  }
  if (state.phase_ == impl::phase::decoding) {
    return state.convert(bytes);
  }
  return state.choose(bytes, false);
}

std::string_view charset_decoder::finish() {
  auto& state = *impl_;
  if (state.held_consumed_) {
    state.held_.clear();
    state.held_consumed_ = false;
  }
  if (state.phase_ == impl::phase::decoding) {
    return state.flush();
  }
  return state.choose({}, true);
}

const std::string& charset_decoder::name() const {
  return impl_->name_;
}

std::string whatwg_encoding_name(std::string_view label) {
  return std::string(whatwg::encoding_for_label(label));
}

}  // namespace wordcrawl
