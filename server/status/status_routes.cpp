#include "status/status_routes.hpp"

#include <string>
#include <string_view>

#include "network/peer_address.hpp"
#include "status/status_page.hpp"

namespace wordcrawl {
namespace {

namespace http = boost::beast::http;

status_response make_response(const status_request& request, http::status status,
                              std::string_view content_type, std::string body) {
  status_response response{status, request.version()};
  response.set(http::field::server, "wordcrawl");
  response.set(http::field::content_type, std::string(content_type));
  // Every answer is the state of one moment: never reuse one.
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.content_length(body.size());
  if (request.method() != http::verb::head) {
    response.body() = std::move(body);
  }
  return response;
}

status_response text(const status_request& request, http::status status, std::string body) {
  return make_response(request, status, "text/plain; charset=utf-8", std::move(body) + "\n");
}

// Why peer may not read the status, or nothing if it may.
std::optional<status_response> refusal(const status_request& request,
                                       const boost::asio::ip::address& peer,
                                       const status_context& context) {
  if (is_loopback(canonical_address(peer))) {
    return std::nullopt;
  }
  if (context.protected_mode) {
    return text(request, http::status::forbidden,
                "forbidden: protected mode: the status port listens on " + context.where +
                    " without --auth-token-file, so it answers loopback clients only; start the "
                    "server with --auth-token-file FILE, or with --no-auth to answer everyone");
  }
  if (context.tokens.empty()) {
    return std::nullopt;  // --no-auth
  }
  constexpr std::string_view scheme = "Bearer ";
  const auto header = request[http::field::authorization];
  const std::string_view given(header.data(), header.size());
  if (given.substr(0, scheme.size()) == scheme &&
      context.tokens.accepts(given.substr(scheme.size()))) {
    return std::nullopt;
  }
  auto response = text(request, http::status::unauthorized,
                       "unauthorized: send one of the server's tokens as "
                       "'Authorization: Bearer <token>'");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

}  // namespace

status_response answer_status_request(const status_request& request,
                                      const boost::asio::ip::address& peer,
                                      const status_context& context) {
  if (auto refused = refusal(request, peer, context)) {
    return std::move(*refused);
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    auto response = text(request, http::status::method_not_allowed, "only GET and HEAD");
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  const std::string_view target(request.target().data(), request.target().size());
  const auto path = target.substr(0, target.find('?'));
  if (path == "/") {
    return make_response(request, http::status::ok, "text/html; charset=utf-8",
                         std::string(status_page_html()));
  }
  if (path == "/metrics") {
    return make_response(request, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                         metrics_text(context.view()));
  }
  if (path == "/status") {
    // Replaced, not thrown on: a URL shown may hold bytes that are not UTF-8.
    return make_response(
        request, http::status::ok, "application/json",
        status_json(context.view()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (path == "/history") {
    return make_response(request, http::status::ok, "application/json",
                         context.history.to_json().dump());
  }
  return text(request, http::status::not_found, "not found: try /, /metrics, /status or /history");
}

}  // namespace wordcrawl
