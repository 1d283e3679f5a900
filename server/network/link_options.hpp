#pragma once

#include <memory>

#include "network/auth_tokens.hpp"
#include "network/client_quota.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace wordcrawl {

/// Who may use the server's socket and how much (README "Exposing the server").
struct link_options {
  /// --auth-token-file: when not empty, a connection's first line must carry one of them.
  auth_tokens tokens;
  /// --no-auth: serve clients from other hosts without a token (protected mode off).
  bool no_auth = false;
  /// --tls-cert and --tls-key: every connection is TLS; null for plain TCP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  /// --client-rate and --max-clients-per-address.
  quota_limits quota;
};

}  // namespace wordcrawl
