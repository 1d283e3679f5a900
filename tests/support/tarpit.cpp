#include "support/tarpit.hpp"

#include <array>
#include <atomic>
#include <iterator>
#include <list>
#include <thread>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

namespace wordcrawl::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

struct tarpit::state {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::string address;
  std::uint16_t port = 0;
  std::list<tcp::socket> held;  // I/O thread only
  std::array<char, 4096> sink{};
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> abandoned{0};
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) {
        return;
      }
      ++accepted;
      held.push_back(std::move(socket));
      watch(std::prev(held.end()));
      accept();
    });
  }

  // Reads (and ignores) the request; a read error or EOF means the peer gave up.
  void watch(std::list<tcp::socket>::iterator socket) {
    socket->async_read_some(asio::buffer(sink),
                            [this, socket](const boost::system::error_code& ec, std::size_t) {
      if (ec) {
        if (ec != asio::error::operation_aborted) {
          ++abandoned;
        }
        held.erase(socket);
        return;
      }
      watch(socket);
    });
  }
};

tarpit::tarpit(const std::string& address) : state_(std::make_unique<state>()) {
  const tcp::endpoint endpoint(asio::ip::make_address(address), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->address = address;
  state_->port = state_->acceptor.local_endpoint().port();
  state_->accept();
  state_->thread = std::thread([s = state_.get()] { s->io.run(); });
}

tarpit::~tarpit() {
  asio::post(state_->io, [s = state_.get()] {
    boost::system::error_code ignored;
    s->acceptor.close(ignored);
    for (auto& socket : s->held) {
      socket.close(ignored);
    }
  });
  state_->thread.join();
}

std::uint16_t tarpit::port() const {
  return state_->port;
}

std::string tarpit::url(std::string_view target) const {
  return "http://" + state_->address + ":" + std::to_string(state_->port) + std::string(target);
}

std::size_t tarpit::accepted() const {
  return state_->accepted.load();
}

std::size_t tarpit::abandoned() const {
  return state_->abandoned.load();
}

}  // namespace wordcrawl::testing
