#include "client_tls.hpp"

namespace wordcrawl {

namespace ssl = boost::asio::ssl;

std::variant<std::shared_ptr<ssl::context>, std::string> make_client_tls(
    const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression);
  boost::system::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(ca_file, ec);
  }
  if (ec) {
    return (ca_file.empty() ? std::string("the system's CAs") : "--tls-ca " + ca_file) + ": " +
           ec.message();
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace wordcrawl
