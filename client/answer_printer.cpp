#include "answer_printer.hpp"

#include <cerrno>
#include <ostream>
#include <string>

namespace wordcrawl {

answer_printer::answer_printer(std::ostream& out, bool json) : out_(out), json_(json) {}

bool answer_printer::print(const reply& answer, std::string_view server_line) {
  std::string text;
  if (!json_) {
    text = format_answer(answer);
    text.push_back('\n');
  } else if (server_line.empty()) {
    // The client's own answers (a line it could not send, no answer at all) as the server
    // would have written them.
    text = encode_reply(answer.url, answer.result);
  } else {
    text = server_line;
    text.push_back('\n');
  }
  const std::lock_guard lock(mutex_);
  if (failed_) {
    return false;
  }
  // One write and a flush per line: lines of different threads never interleave, and a
  // reader that went away is noticed at once.
  errno = 0;
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  out_.flush();
  if (!out_) {
    failed_ = true;
    error_number_ = errno;
  }
  return !failed_;
}

bool answer_printer::failed() const {
  const std::lock_guard lock(mutex_);
  return failed_;
}

int answer_printer::error_number() const {
  const std::lock_guard lock(mutex_);
  return error_number_;
}

}  // namespace wordcrawl
