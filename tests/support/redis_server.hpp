#pragma once

// A private redis-server for one test: started as a child process on a free loopback port (or
// on a unix socket), with its data in a temp dir of its own and every write fsynced to the
// append-only file, so a test can kill it (SIGKILL, like a crashed machine), restart it on the
// same port and find every acknowledged write again. Never the system service: tests must not
// share state with each other or with whatever the machine runs.
//
//   WORDCRAWL_REQUIRE_REDIS_SERVER();  // skips (or fails, under CI) without redis-server
//   redis_server redis;
//   run_server("--redis", redis.url());
//   EXPECT_EQ(redis.command("XLEN", "wordcrawl:jobs").integer, 3);
//
// Every wait is bounded; the destructor kills the server and removes its directory.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl::testing {

/// One reply of redis, nested as redis sends it (XPENDING and XRANGE answer arrays of arrays).
struct redis_reply {
  enum class kind { nil, status, error, integer, string, array };
  kind type = kind::nil;
  std::string str;                    // status, error and string replies
  std::int64_t integer = 0;           // integer replies
  std::vector<redis_reply> elements;  // array replies

  bool is_error() const { return type == kind::error; }
  /// Strings of every status, string and integer reply, depth first (nil as "(nil)").
  std::vector<std::string> flatten() const;
  /// A readable form for assertion messages: "PONG", "(integer) 3", "[a, [b, c]]".
  std::string to_string() const;
};

struct redis_server_options {
  /// Listen on a unix socket only (--unixsocket PATH --port 0) instead of a loopback port.
  bool unix_socket = false;
  /// More redis-server arguments, after the fixture's own ("--maxmemory", "10mb", ...).
  std::vector<std::string> extra_args;
  /// Bound on each start: until redis says it is ready and answers PING.
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10);
};

class redis_server {
 public:
  /// True if redis-server is on PATH.
  static bool available();
  /// True if the environment says WORDCRAWL_REQUIRE_REDIS=1: a missing server is a failure.
  static bool required();

  /// Starts the server and waits until it answers PING; throws std::runtime_error (with its
  /// output) if it does not within options.ready_timeout, after a few tries on other ports.
  explicit redis_server(redis_server_options options = {});
  ~redis_server();
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;
  redis_server(redis_server&&) = delete;
  redis_server& operator=(redis_server&&) = delete;

  /// "redis://127.0.0.1:PORT", or "unix:PATH" for the socket form.
  std::string url() const;
  /// The TCP port; 0 for the socket form. Stays the same across restart().
  std::uint16_t port() const { return port_; }
  /// The unix socket path; empty for the TCP form.
  const std::string& socket_path() const { return socket_path_; }
  /// Where redis keeps its append-only file.
  const std::filesystem::path& dir() const { return dir_.path(); }
  /// False after kill() or stop() until restart().
  bool running() const { return child_ != nullptr; }
  /// The server's pid, or -1 when not running.
  pid_t pid() const { return child_ ? child_->pid() : -1; }

  /// SIGKILL and reap: no shutdown work, only what was fsynced survives (every write, here).
  void kill();
  /// SIGTERM (redis flushes and exits cleanly) and reap; SIGKILL after 10 s.
  void stop();
  /// Stops the server if running, then starts it again on the same port and directory, so it
  /// reloads its append-only file; waits until it answers PING.
  void restart();

  /// Sends one command on a fresh connection and returns the reply (error replies included).
  /// Throws std::runtime_error if redis cannot be reached or does not answer within 5 s.
  redis_reply command(const std::vector<std::string>& args) const;
  /// command("XLEN", key), command("XADD", key, "*", "f", 1): strings and integers.
  template <typename... Args>
  redis_reply command(const Args&... args) const {
    return command(std::vector<std::string>{to_arg(args)...});
  }

  /// What redis wrote while starting (its log lines up to "ready"), for failure messages.
  const std::vector<std::string>& startup_log() const { return startup_log_; }

 private:
  template <typename T>
  static std::string to_arg(const T& value) {
    if constexpr (std::is_arithmetic_v<T>) {
      return std::to_string(value);
    } else if constexpr (std::is_array_v<T>) {
      // A string literal: std::data gives its first char without an implicit array decay.
      return std::string{std::data(value)};
    } else {
      return std::string{std::string_view{value}};
    }
  }

  /// One attempt at starting on port_: false if redis exited first (its port was taken).
  bool start_once();
  std::vector<std::string> arguments() const;

  redis_server_options options_;
  // Declared first so it is removed last, once the server that writes into it is gone.
  temp_dir dir_;
  // The socket form keeps its socket in a short directory of its own: a unix socket path has
  // at most 107 bytes and dir_'s name carries the test's name.
  std::optional<std::filesystem::path> socket_dir_;
  std::string program_;
  std::uint16_t port_ = 0;
  std::string socket_path_;
  std::vector<std::string> startup_log_;
  std::unique_ptr<child_process> child_;
};

}  // namespace wordcrawl::testing

/// Ends the current test when redis-server is missing: GTEST_SKIP, or a failure when
/// WORDCRAWL_REQUIRE_REDIS=1 (CI sets it, so a broken image cannot pass by skipping).
/// Use at the start of a test body or of SetUp().
// A macro because GTEST_SKIP and FAIL return from the test function they are written in.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage)
#define WORDCRAWL_REQUIRE_REDIS_SERVER()                                                       \
  do {                                                                                         \
    if (!::wordcrawl::testing::redis_server::available()) {                                    \
      if (::wordcrawl::testing::redis_server::required()) {                                    \
        GTEST_FAIL() << "redis-server is not on PATH and WORDCRAWL_REQUIRE_REDIS=1";           \
      }                                                                                        \
      GTEST_SKIP() << "redis-server is not on PATH (WORDCRAWL_REQUIRE_REDIS=1 makes it fail)"; \
    }                                                                                          \
  } while (false)
