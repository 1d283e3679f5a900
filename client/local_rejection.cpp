#include "local_rejection.hpp"

#include "wordcrawl/defaults.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {

std::optional<std::string> local_rejection(const url_line& line) {
  if (line.too_long) {
    return "URL longer than " + std::to_string(max_line_bytes) + " bytes";
  }
  if (!utf8::is_valid_utf8(line.url)) {
    return "URL is not valid UTF-8";
  }
  return std::nullopt;
}

}  // namespace wordcrawl
