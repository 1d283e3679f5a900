#pragma once

// One connection to Redis through hiredis, used by one thread only (a hiredis context is not
// thread-safe). Calls block for at most the link's timeout; a broken connection is reopened
// by the next call, so a Redis restart costs the callers failed calls, never a stuck thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct redisContext;

namespace wordcrawl {

/// Where Redis listens: "redis://HOST:PORT" (port 6379 if left out) or "unix:/path/to.sock".
struct redis_address {
  std::string host{};
  std::uint16_t port = 6379;
  std::string unix_path{};  // set for the unix socket form

  std::string to_string() const;
};

/// The address in url, or a message saying what is wrong with it.
std::variant<redis_address, std::string> parse_redis_url(std::string_view url);

/// A reply, copied out of hiredis's so that it outlives the next call.
struct redis_value {
  enum class type : std::uint8_t { nil, integer, text, status, error, array };
  type kind = type::nil;
  std::int64_t integer = 0;
  std::string text{};  // text, status or error
  std::vector<redis_value> items{};

  bool is_error() const { return kind == type::error; }
  /// The integer, or the text read as one (0 if neither).
  std::int64_t as_integer() const;
};

/// A Lua script, run by its SHA1 and sent whole only when Redis does not know it (the first
/// call, or after Redis restarted).
struct redis_script {
  std::string source;
  std::string sha1;  // filled in by SCRIPT LOAD on first use

  explicit redis_script(std::string text) : source(std::move(text)) {}
};

class redis_link {
 public:
  /// Connects lazily: the first call opens the connection.
  redis_link(redis_address address, std::chrono::milliseconds timeout);
  ~redis_link();
  redis_link(const redis_link&) = delete;
  redis_link& operator=(const redis_link&) = delete;
  redis_link(redis_link&&) = delete;
  redis_link& operator=(redis_link&&) = delete;

  /// Runs one command; nullopt if Redis could not be reached (error() says why). An error
  /// reply is a value of type error.
  std::optional<redis_value> call(const std::vector<std::string>& args);
  /// Runs commands in one round trip; nullopt if the link broke on the way.
  std::optional<std::vector<redis_value>> pipeline(
      const std::vector<std::vector<std::string>>& commands);
  /// Runs a script with its keys and arguments.
  std::optional<redis_value> eval(redis_script& script, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args);

  /// Why the last call failed to reach Redis.
  const std::string& error() const { return error_; }
  /// The address, for messages.
  const redis_address& address() const { return address_; }

 private:
  bool ensure_connected();
  void drop_connection(const char* what);
  std::optional<redis_value> read_reply();

  redis_address address_;
  std::chrono::milliseconds timeout_;
  redisContext* context_ = nullptr;
  std::string error_;
};

/// The field values of a stream entry's flat [field, value, ...] array, by field name.
std::optional<std::string> stream_field(const redis_value& fields, std::string_view name);

}  // namespace wordcrawl
