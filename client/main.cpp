// client M FILE [options]: sends the URLs of FILE to a wordcrawl server over M connections and
// prints "<url>: {json}" per URL. Exit codes (also in --help):
//   0  every URL answered with words
//   1  every URL answered, some with an error
//   2  could not run: bad arguments, unreadable input, server unreachable, URLs unanswered

#include <csignal>
#include <fcntl.h>
#include <iostream>
#include <span>
#include <unistd.h>

#include "client_options.hpp"
#include "run_client.hpp"

namespace {

// A closed standard descriptor (`client 2 - <&-`) would be reused by the next socket or file
// the client opens, and reading "standard input" would then read that. Put /dev/null in its
// place and say which ones were closed.
bool stdin_was_closed() {
  bool stdin_closed = false;
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) == -1) {
      stdin_closed = stdin_closed || fd == STDIN_FILENO;
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2) is variadic
      static_cast<void>(::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY));
    }
  }
  return stdin_closed;
}

}  // namespace

int main(int argc, char* argv[]) {
  const bool stdin_closed = stdin_was_closed();
  // A closed stdout (`client ... | head`) must surface as EPIPE on write, not kill us.
  static_cast<void>(std::signal(SIGPIPE, SIG_IGN));  // cannot fail for a valid signal
  std::ios::sync_with_stdio(false);
  const auto outcome = wordcrawl::parse_client_options(
      std::span<const char* const>(argv, static_cast<std::size_t>(argc)),
      isatty(STDERR_FILENO) == 1, std::cout, std::cerr);
  if (!outcome.options) {
    return outcome.exit_code;
  }
  if (stdin_closed && outcome.options->file == "-") {
    std::cerr << "cannot read standard input: it is closed\n";
    return wordcrawl::exit_cannot_run;
  }
  return wordcrawl::run_client(*outcome.options, std::cin, std::cout, std::cerr);
}
