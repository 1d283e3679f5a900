#pragma once

#include <optional>
#include <string_view>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Where page_fetcher delivers a 2xx response's body while it streams in. The fetcher knows
/// HTTP; the sink decides what the body is worth: it may refuse it by its Content-Type, or
/// stop it part way, with the error the URL is answered with.
class body_sink {
 public:
  body_sink() = default;
  virtual ~body_sink() = default;
  body_sink(const body_sink&) = delete;
  body_sink& operator=(const body_sink&) = delete;
  body_sink(body_sink&&) = delete;
  body_sink& operator=(body_sink&&) = delete;

  /// A body starts (once per attempt: a retry starts again). content_type may be empty.
  virtual std::optional<page_error> begin(std::string_view content_type) = 0;
  /// The next decoded bytes of the body.
  virtual std::optional<page_error> feed(std::string_view bytes) = 0;
};

}  // namespace wordcrawl
