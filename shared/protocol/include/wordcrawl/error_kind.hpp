#pragma once

// Why a URL got an error answer, as a program can act on it. Each kind goes on the wire as its
// name in the answer's "kind" field; the README lists them. A new kind is added here, in
// error_kind.cpp's table and where it is produced: nothing else parses messages.

#include <optional>
#include <string_view>

namespace wordcrawl {

enum class error_kind {
  bad_request,         // the line is not a fetchable URL: too long, invalid UTF-8, no host
  unsupported_scheme,  // not http or https, or a redirect to such a URL
  blocked_address,     // the host resolves to an address the server may not reach
  dns,                 // the host name could not be resolved
  connect,             // no connection could be made (refused, unreachable, connect timeout)
  tls,                 // TLS handshake or certificate verification failed
  timeout,             // the whole fetch ran past its deadline
  transfer,            // the connection broke or the peer spoke bad HTTP mid-transfer
  too_many_redirects,  // more redirects than the server follows
  http_status,         // the final response was not 2xx
  content_type,        // the body is not text (by its Content-Type, or sniffed as binary)
  too_large,           // the decoded body is over the size limit
  shutting_down,       // the server stopped before fetching the URL
  busy,                // the server is at its client limit: the connection, not a URL, is refused
  internal,            // a fault inside the server; also any kind this version does not know
  gave_up,             // cluster: nodes took the URL this many times and died each time
  no_answer,           // client side: the server never answered (it was unreachable or gone)
  robots,              // the site's robots.txt disallows the URL for wordcrawl (--robots obey)
  unauthorized,        // the connection gave no valid token, or protected mode refused it
  quota,               // the client's address is over --client-rate or --max-clients-per-address
};

/// The wire name of a kind: "bad_request", "timeout", ...
std::string_view to_string(error_kind kind);

/// The kind with that wire name, or nullopt.
std::optional<error_kind> error_kind_from_string(std::string_view name);

}  // namespace wordcrawl
