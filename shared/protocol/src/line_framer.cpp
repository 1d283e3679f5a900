#include "wordcrawl/line_framer.hpp"

#include <algorithm>

namespace wordcrawl {

line_framer::line_framer(std::size_t max_line) : max_line_(max_line) {}

void line_framer::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const auto segment = bytes.substr(0, newline);
    if (!discarding_) {
      // One byte of slack: a line of exactly max_line_ bytes may still be followed by "\r\n".
      const auto room = max_line_ + 1 - partial_.size();
      partial_.append(segment.substr(0, room));
      discarding_ = segment.size() > room;
    }
    if (newline == std::string_view::npos) {
      return;
    }
    complete_line(partial_);
    partial_.clear();
    discarding_ = false;
    bytes.remove_prefix(newline + 1);
  }
}

void line_framer::complete_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const bool too_long = discarding_ || line.size() > max_line_;
  ready_.push_back(
      framed_line{std::string(line.substr(0, std::min(line.size(), max_line_))), too_long});
}

std::optional<framed_line> line_framer::next() {
  if (ready_.empty()) {
    return std::nullopt;
  }
  auto line = std::move(ready_.front());
  ready_.pop_front();
  return line;
}

}  // namespace wordcrawl
