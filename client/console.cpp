#include "console.hpp"

#include <ostream>

namespace wordcrawl {
namespace {

// Carriage return, then erase to the end of the line: the status line is redrawn in place.
constexpr std::string_view erase_line = "\r\x1b[K";

}  // namespace

console::console(std::ostream& err) : err_(err) {}

void console::write_locked(std::string_view text) {
  err_.write(text.data(), static_cast<std::streamsize>(text.size()));
  err_.flush();
}

void console::line(std::string_view text) {
  std::string piece;
  const std::lock_guard lock(mutex_);
  if (status_shown_) {
    piece = erase_line;
    status_shown_ = false;
  }
  piece.append(text);
  piece.push_back('\n');
  write_locked(piece);
}

bool console::line_once(std::string_view key, std::string_view text) {
  {
    const std::lock_guard lock(mutex_);
    if (!once_keys_.emplace(key).second) {
      return false;
    }
  }
  line(text);
  return true;
}

void console::status(std::string_view text) {
  std::string piece(erase_line);
  piece.append(text);
  const std::lock_guard lock(mutex_);
  status_shown_ = true;
  write_locked(piece);
}

void console::end_status() {
  const std::lock_guard lock(mutex_);
  if (status_shown_) {
    status_shown_ = false;
    write_locked("\n");
  }
}

}  // namespace wordcrawl
