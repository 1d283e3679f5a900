#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "network/auth_tokens.hpp"
#include "status/rate_history.hpp"
#include "status/status_report.hpp"

namespace wordcrawl {

class status_session;

/// What the status listener and its sessions share; touched on the I/O thread only.
struct status_context {
  /// Connections served at once; more are closed at accept.
  static constexpr std::size_t max_sessions = 16;

  /// The server's state now (called on the I/O thread, once per request that needs it).
  std::function<status_view()> view;
  /// --auth-token-file: with tokens, a peer not on loopback must send one as a Bearer token.
  auth_tokens tokens;
  /// Listening beyond loopback with neither tokens nor --no-auth: others get 403.
  bool protected_mode = false;
  /// Where the status port listens, for the 403 message.
  std::string where;
  /// The processed and failed counts of the last minutes (/history), sampled by the listener.
  rate_history history;
  /// Open sessions, to close them at stop.
  std::vector<std::weak_ptr<status_session>> sessions;
};

}  // namespace wordcrawl
