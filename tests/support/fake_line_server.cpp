#include "fake_line_server.hpp"

#include <array>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "wordcrawl/line_framer.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct fake_line_server::impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::uint16_t port = acceptor.local_endpoint().port();

  // Shared with the test thread, under mutex.
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  reply_function reply = default_reply;
  bool holding = false;
  std::size_t drop_after_lines = 0;
  std::size_t connections_to_drop = 0;
  bool refuse_on_drop = false;
  std::vector<std::vector<std::string>> lines;  // per connection
  std::size_t line_count = 0;
  std::size_t max_outstanding = 0;

  // I/O thread only.
  std::vector<std::weak_ptr<session>> sessions;
  std::deque<std::pair<std::weak_ptr<session>, std::string>> held;

  std::thread thread;

  void accept();
  void send_held(std::size_t count, bool newest_first);

  // Runs fn on the I/O thread and waits for it, so a knob is in force when the call returns.
  template <typename Function>
  void run_on_io(Function fn) {
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    asio::post(io, [fn = std::move(fn), done] {
      fn();
      done->set_value();
    });
    finished.wait_for(std::chrono::seconds(10));
  }
};

class fake_line_server::session : public std::enable_shared_from_this<session> {
 public:
  session(impl& owner, tcp::socket socket, std::size_t index, std::size_t drop_after)
      : owner_(owner), socket_(std::move(socket)), index_(index), drop_after_(drop_after) {}

  void start() { read(); }

  void send(std::string line) {
    if (!socket_.is_open()) {
      return;
    }
    {
      const std::lock_guard lock(owner_.mutex);
      --outstanding_;
    }
    writes_.push_back(std::move(line));
    if (writes_.size() == 1) {
      write();
    }
  }

  void close_after_writes() {
    closing_ = true;
    if (writes_.empty()) {
      close();
    }
  }

 private:
  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const error_code& ec, std::size_t n) {
      if (ec) {
        self->close();
        return;
      }
      self->framer_.feed(std::string_view(self->buffer_.data(), n));
      while (auto line = self->framer_.next()) {
        if (!self->on_line(line->text)) {
          return;
        }
      }
      self->read();
    });
  }

  // False once the connection was dropped.
  bool on_line(const std::string& text) {
    const auto url = url_from_line(text);
    if (!url) {
      return true;
    }
    std::string answer;
    bool hold = false;
    {
      const std::lock_guard lock(owner_.mutex);
      owner_.lines[index_].emplace_back(*url);
      ++owner_.line_count;
      owner_.changed.notify_all();
      if (++received_ == drop_after_) {
        close();
        if (owner_.refuse_on_drop) {
          error_code ignored;
          owner_.acceptor.close(ignored);  // on the I/O thread, as every use of the acceptor
        }
        return false;
      }
      owner_.max_outstanding = std::max(owner_.max_outstanding, ++outstanding_);
      answer = owner_.reply(std::string(*url));
      hold = owner_.holding;
    }
    if (hold) {
      owner_.held.emplace_back(weak_from_this(), std::move(answer));
    } else {
      send(std::move(answer));
    }
    return true;
  }

  void write() {
    asio::async_write(socket_, asio::buffer(writes_.front()),
                      [self = shared_from_this()](const error_code& ec, std::size_t /*n*/) {
      if (ec) {
        self->close();
        return;
      }
      self->writes_.pop_front();
      if (!self->writes_.empty()) {
        self->write();
      } else if (self->closing_) {
        self->close();
      }
    });
  }

  void close() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  impl& owner_;
  tcp::socket socket_;
  std::size_t index_;
  std::size_t drop_after_;  // 0: never
  std::size_t received_ = 0;
  std::size_t outstanding_ = 0;  // under owner_.mutex
  line_framer framer_{std::size_t{64} * 1024};
  std::array<char, 4096> buffer_{};
  std::deque<std::string> writes_;
  bool closing_ = false;
};

void fake_line_server::impl::accept() {
  acceptor.async_accept([this](const error_code& ec, tcp::socket socket) {
    if (ec) {
      return;  // closed by refuse() or shutdown
    }
    std::size_t index = 0;
    std::size_t drop_after = 0;
    {
      const std::lock_guard lock(mutex);
      index = lines.size();
      lines.emplace_back();
      if (connections_to_drop > 0) {
        --connections_to_drop;
        drop_after = drop_after_lines;
      }
      changed.notify_all();
    }
    // Replies are small and pipelined: without this, Nagle's algorithm waits for the client's
    // delayed ACK before every second reply.
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<session>(*this, std::move(socket), index, drop_after);
    sessions.push_back(connection);
    connection->start();
    accept();
  });
}

void fake_line_server::impl::send_held(std::size_t count, bool newest_first) {
  for (std::size_t i = 0; i < count && !held.empty(); ++i) {
    auto entry = newest_first ? std::move(held.back()) : std::move(held.front());
    if (newest_first) {
      held.pop_back();
    } else {
      held.pop_front();
    }
    if (auto target = entry.first.lock()) {
      target->send(std::move(entry.second));
    }
  }
}

std::string fake_line_server::default_reply(const std::string& url) {
  return encode_reply(url, page_result{.words = {{"w", 10}, {"x", 5}}, .details = {.status = 200}});
}

fake_line_server::fake_line_server() : impl_(std::make_unique<impl>()) {
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

fake_line_server::~fake_line_server() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t fake_line_server::port() const {
  return impl_->port;
}

void fake_line_server::set_reply(reply_function reply) {
  const std::lock_guard lock(impl_->mutex);
  impl_->reply = std::move(reply);
}

void fake_line_server::hold_replies() {
  const std::lock_guard lock(impl_->mutex);
  impl_->holding = true;
}

void fake_line_server::release_held(std::size_t count, bool newest_first) {
  impl_->run_on_io([this, count, newest_first] { impl_->send_held(count, newest_first); });
}

void fake_line_server::stop_holding() {
  impl_->run_on_io([this] {
    {
      const std::lock_guard lock(impl_->mutex);
      impl_->holding = false;
    }
    impl_->send_held(impl_->held.size(), false);
  });
}

void fake_line_server::drop_connections_after(std::size_t lines, std::size_t connections) {
  const std::lock_guard lock(impl_->mutex);
  impl_->drop_after_lines = lines;
  impl_->connections_to_drop = connections;
}

void fake_line_server::refuse_after_drop() {
  const std::lock_guard lock(impl_->mutex);
  impl_->refuse_on_drop = true;
}

void fake_line_server::close_connections() {
  impl_->run_on_io([this] {
    for (const auto& weak : impl_->sessions) {
      if (auto connection = weak.lock()) {
        connection->close_after_writes();
      }
    }
  });
}

void fake_line_server::refuse() {
  impl_->run_on_io([this] {
    error_code ignored;
    impl_->acceptor.close(ignored);
  });
}

std::size_t fake_line_server::lines_received() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->line_count;
}

std::size_t fake_line_server::connections() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->lines.size();
}

std::vector<std::vector<std::string>> fake_line_server::lines_by_connection() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->lines;
}

std::size_t fake_line_server::max_outstanding() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->max_outstanding;
}

bool fake_line_server::wait_for_lines(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->line_count >= count; });
}

}  // namespace wordcrawl::testing
