#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "status/status_context.hpp"

namespace wordcrawl {

using status_request = boost::beast::http::request<boost::beast::http::empty_body>;
using status_response = boost::beast::http::response<boost::beast::http::string_body>;

/// The answer to one request from peer: the access rules first (403 in protected mode, 401
/// without a valid Bearer token), then GET or HEAD of /, /metrics or /status; 404 otherwise.
status_response answer_status_request(const status_request& request,
                                      const boost::asio::ip::address& peer,
                                      const status_context& context);

}  // namespace wordcrawl
