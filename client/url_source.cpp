#include "url_source.hpp"

#include <filesystem>
#include <fstream>
#include <istream>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

url_source::url_source(std::istream& in, std::size_t max_line) : in_(in), max_line_(max_line) {
  line_.reserve(max_line_ + 1);
}

// Reads one line into line_, keeping at most max_line_ + 1 bytes of it (the extra byte lets a
// line of exactly max_line_ bytes end in "\r"). False at the end of the input.
bool url_source::read_line() {
  line_.clear();
  too_long_ = false;
  auto* buffer = in_.rdbuf();
  if (buffer == nullptr || !in_.good()) {
    return false;
  }
  bool any = false;
  for (auto c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    any = true;
    if (c == '\n') {
      return true;
    }
    if (line_.size() <= max_line_) {
      line_.push_back(std::char_traits<char>::to_char_type(c));
    } else {
      too_long_ = true;
    }
  }
  in_.setstate(std::ios::eofbit);
  return any;
}

std::optional<url_line> url_source::next() {
  const std::lock_guard lock(mutex_);
  while (read_line()) {
    const auto url = url_from_line(line_);
    if (!url) {
      continue;
    }
    ++taken_;
    const bool too_long = too_long_ || url->size() > max_line_;
    return url_line{std::string(url->substr(0, max_line_)), too_long};
  }
  return std::nullopt;
}

std::uint64_t url_source::taken() const {
  const std::lock_guard lock(mutex_);
  return taken_;
}

std::optional<std::uint64_t> count_urls_in_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  url_source source(in);
  std::uint64_t count = 0;
  while (source.next()) {
    ++count;
  }
  return count;
}

}  // namespace wordcrawl
