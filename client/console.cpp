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

// What takes the cursor back to where the status began and erases it; nothing if none is shown.
// One line keeps the plain carriage return of the one-line bar; a block moves up over its
// other lines first and erases to the end of the screen.
std::string console::erase_status_locked() {
  std::string erase;
  if (status_lines_ == 1) {
    erase = erase_line;
  } else if (status_lines_ > 1) {
    erase = "\r\x1b[";
    erase.append(std::to_string(status_lines_ - 1));
    erase.append("A\x1b[J");
  }
  status_lines_ = 0;
  return erase;
}

void console::line(std::string_view text) {
  const std::lock_guard lock(mutex_);
  std::string piece = erase_status_locked();
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
  status_lines_ = 1;
  write_locked(piece);
}

void console::status_block(const std::vector<std::string>& lines) {
  const std::lock_guard lock(mutex_);
  std::string piece = erase_status_locked();
  if (piece.empty()) {
    piece = "\r";
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      piece.push_back('\n');
    }
    piece.append("\x1b[K").append(lines[i]);
  }
  status_lines_ = lines.size();
  write_locked(piece);
}

void console::end_status() {
  const std::lock_guard lock(mutex_);
  if (status_lines_ > 0) {
    status_lines_ = 0;
    write_locked("\n");
  }
}

}  // namespace wordcrawl
