// client M FILE [options]: sends the URLs of FILE to a wordcrawl server over M connections and
// prints "<url>: {json}" per URL. Exit codes (also in --help):
//   0  every URL answered with words
//   1  every URL answered, some with an error
//   2  could not run: bad arguments, unreadable input, server unreachable, URLs unanswered

#include <csignal>
#include <iostream>
#include <span>
#include <unistd.h>

#include "client_options.hpp"
#include "run_client.hpp"

int main(int argc, char* argv[]) {
  // A closed stdout (`client ... | head`) must surface as EPIPE on write, not kill us.
  static_cast<void>(std::signal(SIGPIPE, SIG_IGN));  // cannot fail for a valid signal
  std::ios::sync_with_stdio(false);
  const auto outcome = wordcrawl::parse_client_options(
      std::span<const char* const>(argv, static_cast<std::size_t>(argc)),
      isatty(STDERR_FILENO) == 1, std::cout, std::cerr);
  if (!outcome.options) {
    return outcome.exit_code;
  }
  return wordcrawl::run_client(*outcome.options, std::cin, std::cout, std::cerr);
}
