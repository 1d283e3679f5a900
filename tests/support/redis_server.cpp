#include "support/redis_server.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

// Tries on fresh ports when another process takes the one picked before redis binds it.
constexpr int start_attempts = 5;
constexpr auto command_timeout = 5s;
constexpr auto stop_timeout = 10s;

/// The full path of redis-server on PATH (child_process spawns a path, not a name), or empty.
std::string find_redis_server() {
  // Read once per process, before the tests start threads of their own.
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): see above
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const auto dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    if (dir.empty()) {
      continue;
    }
    const auto candidate = std::filesystem::path(dir) / "redis-server";
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

const std::string& redis_server_program() {
  static const std::string program = find_redis_server();
  return program;
}

/// A port nobody listens on now: bind port 0, read what the kernel chose, close. Another
/// process may take it before redis binds it; start_once() then reports it and we try again.
std::uint16_t pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "socket");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  sockaddr_storage storage{};
  std::memcpy(&storage, &address, sizeof address);
  socklen_t length = sizeof address;
  // sockaddr_storage is the one type the socket calls accept under every family; copying
  // through it avoids a reinterpret_cast from sockaddr_in.
  auto* generic = static_cast<sockaddr*>(static_cast<void*>(&storage));
  if (::bind(fd, generic, length) != 0 || ::getsockname(fd, generic, &length) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), "bind 127.0.0.1:0");
  }
  ::close(fd);
  std::memcpy(&address, &storage, sizeof address);
  return ntohs(address.sin_port);
}

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((duration.count() % 1000) * 1000);
  return tv;
}

struct context_deleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;

struct reply_deleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

redis_reply convert(const redisReply& reply) {
  redis_reply result;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      result.type = redis_reply::kind::string;
      result.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      result.type = redis_reply::kind::status;
      result.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      result.type = redis_reply::kind::error;
      result.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      result.type = redis_reply::kind::integer;
      result.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      result.type = redis_reply::kind::array;
      result.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        result.elements.push_back(convert(*reply.element[i]));
      }
      break;
    default:
      result.type = redis_reply::kind::nil;
      break;
  }
  return result;
}

void flatten_into(const redis_reply& reply, std::vector<std::string>& out) {
  switch (reply.type) {
    case redis_reply::kind::array:
      for (const auto& element : reply.elements) {
        flatten_into(element, out);
      }
      break;
    case redis_reply::kind::integer:
      out.push_back(std::to_string(reply.integer));
      break;
    case redis_reply::kind::nil:
      out.emplace_back("(nil)");
      break;
    default:
      out.push_back(reply.str);
      break;
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace

std::vector<std::string> redis_reply::flatten() const {
  std::vector<std::string> out;
  flatten_into(*this, out);
  return out;
}

std::string redis_reply::to_string() const {
  switch (type) {
    case kind::nil:
      return "(nil)";
    case kind::status:
      return str;
    case kind::error:
      return "(error) " + str;
    case kind::integer:
      return "(integer) " + std::to_string(integer);
    case kind::string:
      return '"' + str + '"';
    case kind::array: {
      std::string text = "[";
      for (std::size_t i = 0; i < elements.size(); ++i) {
        text += (i == 0 ? "" : ", ") + elements[i].to_string();
      }
      return text + "]";
    }
  }
  return {};
}

bool redis_server::available() {
  return !redis_server_program().empty();
}

bool redis_server::required() {
  // Read once per process, before the tests start threads of their own.
  static const bool value = [] {
    const char* env = std::getenv("WORDCRAWL_REQUIRE_REDIS");  // NOLINT(concurrency-mt-unsafe)
    return env != nullptr && std::string_view(env) == "1";
  }();
  return value;
}

redis_server::redis_server(redis_server_options options)
    : options_(std::move(options)), program_(redis_server_program()) {
  if (program_.empty()) {
    throw std::runtime_error("redis-server is not on PATH");
  }
  if (options_.unix_socket) {
    std::string pattern = (std::filesystem::temp_directory_path() / "wcredis-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    socket_dir_ = pattern;
    socket_path_ = (*socket_dir_ / "redis.sock").string();
    if (!start_once()) {
      throw std::runtime_error("redis-server exited before it was ready:\n" +
                               join_lines(startup_log_));
    }
    return;
  }
  for (int attempt = 0; attempt < start_attempts; ++attempt) {
    port_ = pick_free_port();
    if (start_once()) {
      return;
    }
  }
  throw std::runtime_error("redis-server could not listen on a loopback port in " +
                           std::to_string(start_attempts) + " tries; last output:\n" +
                           join_lines(startup_log_));
}

redis_server::~redis_server() {
  kill();
  if (socket_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(*socket_dir_, ignored);
  }
}

std::string redis_server::url() const {
  if (options_.unix_socket) {
    return "unix:" + socket_path_;
  }
  return "redis://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> redis_server::arguments() const {
  std::vector<std::string> args{
      "--bind",           "127.0.0.1", "--dir",        dir_.path().string(),
      "--save",           "",          "--appendonly", "yes",
      "--appendfsync",    "always",    "--daemonize",  "no",
      "--protected-mode", "yes"};
  if (options_.unix_socket) {
    args.insert(args.end(), {"--port", "0", "--unixsocket", socket_path_});
  } else {
    args.insert(args.end(), {"--port", std::to_string(port_)});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  return args;
}

bool redis_server::start_once() {
  startup_log_.clear();
  auto child = std::make_unique<child_process>(program_, arguments());
  const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
  // redis logs "Ready to accept connections" (TCP) or "The server is now ready to accept
  // connections at PATH" (unix socket) once it listens: waiting for the line needs no polling.
  bool ready = false;
  while (!ready) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) {
      throw std::runtime_error("redis-server was not ready within " +
                               std::to_string(options_.ready_timeout.count()) + " ms:\n" +
                               join_lines(startup_log_) + child->stderr_text());
    }
    auto line = child->read_line(left);
    if (!line) {
      // End of output before the ready line: redis exited (its port was taken), or timeout.
      if (child->wait(1s)) {
        startup_log_.push_back(child->stderr_text());
        return false;
      }
      continue;
    }
    ready = line->find("eady to accept connections") != std::string::npos;
    startup_log_.push_back(std::move(*line));
  }
  child_ = std::move(child);
  const auto pong = command("PING");
  if (pong.type != redis_reply::kind::status || pong.str != "PONG") {
    throw std::runtime_error("redis-server answered PING with " + pong.to_string());
  }
  // Nobody reads the server's stdout after this: with only warnings logged it never fills
  // the pipe, so redis never blocks on a log line in a long test.
  const auto quiet = command("CONFIG", "SET", "loglevel", "warning");
  if (quiet.is_error()) {
    throw std::runtime_error("CONFIG SET loglevel: " + quiet.str);
  }
  return true;
}

void redis_server::kill() {
  if (!child_) {
    return;
  }
  child_->send_signal(SIGKILL);
  child_->wait(stop_timeout);
  child_.reset();
}

void redis_server::stop() {
  if (!child_) {
    return;
  }
  child_->send_signal(SIGTERM);
  if (!child_->wait(stop_timeout)) {
    child_->send_signal(SIGKILL);
    child_->wait(stop_timeout);
  }
  child_.reset();
}

void redis_server::restart() {
  stop();
  if (!start_once()) {
    throw std::runtime_error("redis-server did not restart on " + url() + ":\n" +
                             join_lines(startup_log_));
  }
}

redis_reply redis_server::command(const std::vector<std::string>& args) const {
  if (args.empty()) {
    throw std::invalid_argument("redis command without a name");
  }
  const auto timeout =
      to_timeval(std::chrono::duration_cast<std::chrono::milliseconds>(command_timeout));
  const context_ptr context(options_.unix_socket
                                ? redisConnectUnixWithTimeout(socket_path_.c_str(), timeout)
                                : redisConnectWithTimeout("127.0.0.1", port_, timeout));
  if (!context || context->err != 0) {
    throw std::runtime_error("cannot connect to " + url() + ": " +
                             (context ? std::string(std::data(context->errstr)) : "out of memory"));
  }
  redisSetTimeout(context.get(), timeout);
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  const reply_ptr reply(static_cast<redisReply*>(
      redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (!reply) {
    throw std::runtime_error(args.front() + " to " + url() +
                             " failed: " + std::data(context->errstr));
  }
  return convert(*reply);
}

}  // namespace wordcrawl::testing
