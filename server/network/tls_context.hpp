#pragma once

#include <memory>
#include <string>
#include <variant>

#include <boost/asio/ssl/context.hpp>

namespace wordcrawl {

/// The server's TLS context for its clients (--tls-cert, --tls-key): TLS 1.2 or later, the
/// certificate chain and the private key from PEM files. An error message names the file that
/// could not be used, or says that the key does not belong to the certificate.
std::variant<std::shared_ptr<boost::asio::ssl::context>, std::string> make_server_tls(
    const std::string& cert_file, const std::string& key_file);

}  // namespace wordcrawl
