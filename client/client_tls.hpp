#pragma once

#include <memory>
#include <string>
#include <variant>

#include <boost/asio/ssl/context.hpp>

namespace wordcrawl {

/// The client's TLS context (--tls): TLS 1.2 or later, peers verified against ca_file, or the
/// system's CAs when it is empty. An error message when ca_file cannot be used.
std::variant<std::shared_ptr<boost::asio::ssl::context>, std::string> make_client_tls(
    const std::string& ca_file);

}  // namespace wordcrawl
