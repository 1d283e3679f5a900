#pragma once

#include <cstddef>
#include <cstdint>

#include <sys/resource.h>

namespace wordcrawl {

/// Descriptors the server holds whatever the load: stdio, the acceptor and its reserve, the
/// io_context's reactor and wake-up pipe, the signal pipe, timers, libcurl's global state.
inline constexpr std::size_t fixed_fds = 32;
/// Descriptors one worker may hold: the connection being fetched, libcurl's cache of idle
/// connections (five by default) and the threaded resolver's socket pair.
inline constexpr std::size_t fds_per_worker = 8;

/// Raises the soft limit on open files to the hard one (a server wants all it may have) and
/// returns the soft limit then in force.
inline std::uint64_t raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return 0;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    }
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(limit.rlim_cur);
}

/// Client connections (one descriptor each) that fit in fd_limit beside the workers' and the
/// server's own descriptors; at least one.
inline std::size_t clients_for_fd_limit(std::uint64_t fd_limit, std::size_t workers) {
  const std::uint64_t needed = fixed_fds + static_cast<std::uint64_t>(workers) * fds_per_worker;
  if (fd_limit <= needed) {
    return 1;
  }
  const std::uint64_t left = fd_limit - needed;
  return left > SIZE_MAX ? SIZE_MAX : static_cast<std::size_t>(left);
}

}  // namespace wordcrawl
