#include "url_source.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <ios>
#include <istream>
#include <poll.h>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

url_source::url_source(std::istream& in, std::size_t max_line, int poll_fd)
    : in_(in), max_line_(max_line), poll_fd_(poll_fd) {
  line_.reserve(max_line_ + 1);
}

// The next byte, or eof at the end of the input or at a read error. libstdc++'s file buffers
// throw from underflow when read() fails (EISDIR for a directory, EBADF for a closed
// descriptor, EAGAIN for an empty non-blocking pipe); the error code tells them apart.
int url_source::next_byte() {
  auto* buffer = in_.rdbuf();
  for (;;) {
    try {
      return buffer->sbumpc();
    } catch (const std::ios_base::failure& failure) {
      const auto code = failure.code().value();
      if ((code == EAGAIN || code == EWOULDBLOCK || code == EINTR) && poll_fd_ >= 0) {
        pollfd readable{poll_fd_, POLLIN, 0};
        static_cast<void>(::poll(&readable, 1, -1));  // a slow writer is waited for
        continue;
      }
      error_ = failure.code().message();
      return std::char_traits<char>::eof();
    }
  }
}

// Reads one line into line_, keeping at most max_line_ + 1 bytes of it (the extra byte lets a
// line of exactly max_line_ bytes end in "\r"). False at the end of the input.
bool url_source::read_line() {
  line_.clear();
  too_long_ = false;
  if (in_.rdbuf() == nullptr || !in_.good()) {
    return false;
  }
  bool any = false;
  for (auto c = next_byte(); c != std::char_traits<char>::eof(); c = next_byte()) {
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

bool url_source::ready() const {
  const std::lock_guard lock(mutex_);
  auto* buffer = in_.rdbuf();
  if (poll_fd_ < 0 || buffer == nullptr || !in_.good() || buffer->in_avail() > 0) {
    return true;
  }
  pollfd readable{poll_fd_, POLLIN, 0};
  return ::poll(&readable, 1, 0) != 0;
}

std::string url_source::error() const {
  const std::lock_guard lock(mutex_);
  return error_;
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
