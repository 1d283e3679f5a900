#include "support/http_fixture.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <zlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include "wordcrawl/ascii.hpp"

namespace wordcrawl::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

struct http_fixture::state {
  mutable std::mutex mutex;
  mutable std::condition_variable request_seen;
  std::map<std::string, http_route> routes;
  std::map<std::string, route_stats> stats;
  std::map<std::string, std::size_t> in_flight;
  std::size_t connections = 0;
  std::vector<request_arrival> arrivals;
  std::string address;
  // Declared after the bookkeeping above: destroying the io_context destroys the connections,
  // which still update it on the way out.
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;

  void accept();
  http_route begin_request(const std::string& target,
                           std::vector<std::pair<std::string, std::string>> headers);
  void end_request(const std::string& target);
};

namespace {

std::string to_string(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

// One accepted TCP connection: reads requests and plays the scripted response of each.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(tcp::socket socket, http_fixture::state& state)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), state_(state) {}
  ~connection() { end_request(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  connection(connection&&) = delete;
  connection& operator=(connection&&) = delete;

  void read_request() {
    request_ = {};
    http::async_read(socket_, buffer_, request_,
                     [self = shared_from_this()](error_code ec, std::size_t /*bytes*/) {
      if (!ec) {
        self->on_request();
      }
    });
  }

 private:
  void on_request() {
    target_ = to_string(request_.target());
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& field : request_) {
      headers.emplace_back(to_string(field.name_string()), to_string(field.value()));
    }
    route_ = state_.begin_request(target_, std::move(headers));
    in_flight_ = true;
    next_piece_ = 0;
    write(head(), last_write(route_.pieces.empty()), [](connection& self) { self.next_piece(); });
  }

  std::string head() const {
    const auto status = static_cast<http::status>(route_.status);
    std::string text = "HTTP/1.1 " + std::to_string(route_.status);
    text += " ";
    text += to_string(http::obsolete_reason(status));
    text += "\r\n";
    for (const auto& [name, value] : route_.headers) {
      text.append(name).append(": ").append(value).append("\r\n");
    }
    if (route_.chunked) {
      text += "Transfer-Encoding: chunked\r\n";
    } else {
      std::uint64_t length = 0;
      for (const auto& piece : route_.pieces) {
        length += piece.size();
      }
      text += "Content-Length: " + std::to_string(route_.content_length.value_or(length)) + "\r\n";
    }
    return text + "\r\n";
  }

  void next_piece() {
    if (next_piece_ >= route_.pieces.size()) {
      finish();
      return;
    }
    if (route_.piece_delay.count() == 0) {
      write_piece();
      return;
    }
    timer_.expires_after(route_.piece_delay);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) {
        self->write_piece();
      }
    });
  }

  void write_piece() {
    const std::string& piece = route_.pieces.at(next_piece_++);
    std::string framed = piece;
    if (route_.chunked) {
      std::array<char, 20> size{};
      const int length = std::snprintf(size.data(), size.size(), "%zx\r\n", piece.size());
      framed = std::string(size.data(), static_cast<std::size_t>(length)) + piece + "\r\n";
    }
    const bool last = last_write(next_piece_ == route_.pieces.size());
    write(std::move(framed), last, [](connection& self) { self.next_piece(); });
  }

  void finish() {
    switch (route_.end) {
      case http_route::ending::complete:
        if (!route_.chunked) {
          keep_alive();
        } else {
          write("0\r\n\r\n", true, [](connection& self) { self.keep_alive(); });
        }
        break;
      case http_route::ending::hang:
        // Waits for the client to go away; nothing is ever sent.
        socket_.async_read_some(asio::buffer(sink_),
                                [self = shared_from_this()](error_code, std::size_t) {});
        break;
      case http_route::ending::reset:
        error_code ignored;
        socket_.set_option(asio::socket_base::linger(true, 0), ignored);
        socket_.close(ignored);
        break;
    }
  }

  // Whether a write with nothing after it is the response's last: a complete response ends
  // with its last body piece, or with the final chunk when chunked.
  bool last_write(bool nothing_after) const {
    return nothing_after && route_.end == http_route::ending::complete && !route_.chunked;
  }

  void keep_alive() {
    if (request_.keep_alive()) {
      read_request();
    }
  }

  // A response stops counting as in flight when its last bytes are handed over, not when the
  // write completes: the client may already be sending its next request by then.
  template <typename Next>
  void write(std::string data, bool last, Next next) {
    if (last) {
      end_request();
    }
    out_ = std::move(data);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), next](error_code ec, std::size_t /*bytes*/) {
      if (!ec) {
        next(*self);
      }
    });
  }

  void end_request() {
    if (in_flight_) {
      in_flight_ = false;
      state_.end_request(target_);
    }
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  http_fixture::state& state_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::string target_;
  http_route route_;
  std::size_t next_piece_ = 0;
  bool in_flight_ = false;
  std::string out_;
  std::array<char, 1> sink_{};
};

}  // namespace

void http_fixture::state::accept() {
  acceptor.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec) {
      return;  // the acceptor was closed
    }
    {
      const std::lock_guard lock(mutex);
      ++connections;
    }
    std::make_shared<connection>(std::move(socket), *this)->read_request();
    accept();
  });
}

http_route http_fixture::state::begin_request(
    const std::string& target, std::vector<std::pair<std::string, std::string>> headers) {
  http_route route;
  {
    const std::lock_guard lock(mutex);
    route_stats& seen = stats[target];
    ++seen.requests;
    arrivals.push_back({target, std::chrono::steady_clock::now()});
    seen.last_headers = std::move(headers);
    seen.max_in_flight = std::max(seen.max_in_flight, ++in_flight[target]);
    const auto found = routes.find(target);
    if (found != routes.end()) {
      route = found->second;
    } else {
      route = http_route{.status = 404,
                         .headers = {{"Content-Type", "text/plain"}},
                         .pieces = {"no route for " + target}};
    }
  }
  request_seen.notify_all();
  return route;
}

void http_fixture::state::end_request(const std::string& target) {
  const std::lock_guard lock(mutex);
  --in_flight[target];
}

http_fixture::http_fixture(std::string address) : state_(std::make_unique<state>()) {
  state_->address = std::move(address);
  const tcp::endpoint endpoint(asio::ip::make_address(state_->address), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->accept();
  state_->thread = std::thread([this] { state_->io.run(); });
}

http_fixture::~http_fixture() {
  state_->io.stop();
  state_->thread.join();
}

std::uint16_t http_fixture::port() const {
  return state_->acceptor.local_endpoint().port();
}

std::string http_fixture::url(std::string_view target) const {
  return url_on(state_->address, target);
}

std::string http_fixture::url_on(std::string_view host, std::string_view target) const {
  return "http://" + std::string(host) + ":" + std::to_string(port()) + std::string(target);
}

void http_fixture::add(const std::string& target, http_route route) {
  const std::lock_guard lock(state_->mutex);
  state_->routes[target] = std::move(route);
}

void http_fixture::add_page(const std::string& target, std::string body, std::string content_type,
                            unsigned status) {
  http_route route{.status = status, .pieces = {std::move(body)}};
  if (!content_type.empty()) {
    route.headers.emplace_back("Content-Type", std::move(content_type));
  }
  add(target, std::move(route));
}

void http_fixture::add_redirect(const std::string& target, std::string location, unsigned status) {
  add(target, http_route{.status = status, .headers = {{"Location", std::move(location)}}});
}

route_stats http_fixture::stats(const std::string& target) const {
  const std::lock_guard lock(state_->mutex);
  const auto found = state_->stats.find(target);
  return found == state_->stats.end() ? route_stats{} : found->second;
}

std::vector<request_arrival> http_fixture::arrivals() const {
  const std::lock_guard lock(state_->mutex);
  return state_->arrivals;
}

std::size_t http_fixture::requests(const std::string& target) const {
  return stats(target).requests;
}

std::size_t http_fixture::connections() const {
  const std::lock_guard lock(state_->mutex);
  return state_->connections;
}

std::string http_fixture::last_header(const std::string& target, std::string_view name) const {
  const route_stats seen = stats(target);
  const auto same_name = [name](const auto& field) {
    return ascii::equals_nocase(field.first, name);
  };
  const auto found = std::find_if(seen.last_headers.begin(), seen.last_headers.end(), same_name);
  return found == seen.last_headers.end() ? std::string() : found->second;
}

bool http_fixture::wait_for_requests(const std::string& target, std::size_t count,
                                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->request_seen.wait_for(lock, timeout, [&] {
    const auto found = state_->stats.find(target);
    return found != state_->stats.end() && found->second.requests >= count;
  });
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  constexpr int gzip_window_bits = 15 + 16;  // 16 asks zlib for a gzip header
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, gzip_window_bits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  // zlib's API is not const-correct; it never writes through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT: zlib wants bytes
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) {
    throw std::runtime_error("deflate failed");
  }
  out.resize(stream.total_out);
  return out;
}

}  // namespace wordcrawl::testing
