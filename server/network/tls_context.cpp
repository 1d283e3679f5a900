#include "network/tls_context.hpp"

#include <openssl/ssl.h>

namespace wordcrawl {

namespace ssl = boost::asio::ssl;

std::variant<std::shared_ptr<ssl::context>, std::string> make_server_tls(
    const std::string& cert_file, const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use | ssl::context::no_compression);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return "--tls-cert " + cert_file + ": " + ec.message();
  }
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return "--tls-key " + key_file + ": " + ec.message();
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return "--tls-key " + key_file + ": does not match the certificate " + cert_file;
  }
  return context;
}

}  // namespace wordcrawl
