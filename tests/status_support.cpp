#include "status_support.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace wordcrawl::testing {
namespace {

using boost::asio::ip::tcp;

// The raw bytes of the answer, read until the server closes; the io_context is run with a
// deadline so a silent server cannot hang the test.
std::string exchange(const std::string& host, std::uint16_t port, const std::string& request,
                     std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  std::string answer;
  std::array<char, 4096> chunk{};
  std::function<void(const boost::system::error_code&, std::size_t)> on_read =
      [&](const boost::system::error_code& ec, std::size_t bytes) {
    answer.append(chunk.data(), bytes);
    if (!ec) {
      socket.async_read_some(boost::asio::buffer(chunk), on_read);
    }
  };
  const tcp::endpoint endpoint(boost::asio::ip::make_address(host), port);
  socket.async_connect(endpoint, [&](const boost::system::error_code& ec) {
    if (ec) {
      return;
    }
    boost::asio::async_write(socket, boost::asio::buffer(request),
                             [&](const boost::system::error_code& write_ec, std::size_t) {
      if (!write_ec) {
        socket.async_read_some(boost::asio::buffer(chunk), on_read);
      }
    });
  });
  io.run_for(timeout);
  return answer;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

http_reply parse_reply_bytes(const std::string& raw) {
  http_reply reply;
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.rfind("HTTP/1.", 0) != 0) {
    return reply;
  }
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  reply.status = static_cast<int>(std::strtol(line.substr(9, 3).c_str(), nullptr, 10));
  while (std::getline(head, line)) {
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (!value.empty() && value.back() == '\r') {
        value.pop_back();
      }
      reply.headers[lower(line.substr(0, colon))] = value;
    }
  }
  reply.body = raw.substr(head_end + 4);
  return reply;
}

}  // namespace

http_reply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                        const std::string& target, const std::string& extra_headers,
                        std::chrono::milliseconds timeout) {
  const auto request = method + " " + target + " HTTP/1.1\r\nHost: " + host +
                       "\r\nConnection: close\r\n" + extra_headers + "\r\n";
  return parse_reply_bytes(exchange(host, port, request, timeout));
}

std::string metric_sample::series() const {
  std::string out = name;
  if (!labels.empty()) {
    out += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      out += (i == 0 ? "" : ",") + labels[i].first + "=\"" + labels[i].second + "\"";
    }
    out += '}';
  }
  return out;
}

std::optional<double> metric_scrape::value(const std::string& series) const {
  for (const auto& sample : samples) {
    if (sample.series() == series) {
      return sample.value;
    }
  }
  return std::nullopt;
}

}  // namespace wordcrawl::testing
