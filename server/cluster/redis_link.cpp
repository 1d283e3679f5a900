#include "cluster/redis_link.hpp"

#include <charconv>
#include <cstdlib>
#include <span>
#include <utility>

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace wordcrawl {
namespace {

timeval to_timeval(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

// hiredis's reply tree copied into ours.
redis_value copy_reply(const redisReply& reply) {
  redis_value value;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      value.kind = redis_value::type::integer;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      value.kind = reply.type == REDIS_REPLY_STRING   ? redis_value::type::text
                   : reply.type == REDIS_REPLY_STATUS ? redis_value::type::status
                                                      : redis_value::type::error;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY: {
      value.kind = redis_value::type::array;
      value.items.reserve(reply.elements);
      for (const auto* element : std::span(reply.element, reply.elements)) {
        value.items.push_back(copy_reply(*element));
      }
      break;
    }
    default:
      break;
  }
  return value;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string redis_address::to_string() const {
  if (!unix_path.empty()) {
    return "unix:" + unix_path;
  }
  return "redis://" + host + ":" + std::to_string(port);
}

std::variant<redis_address, std::string> parse_redis_url(std::string_view url) {
  redis_address address;
  if (url.starts_with("unix:")) {
    auto path = url.substr(5);
    while (path.starts_with("//")) {  // unix:///run/redis.sock
      path.remove_prefix(1);
    }
    if (!path.starts_with("/")) {
      return std::string("a unix socket URL needs an absolute path: unix:/run/redis/redis.sock");
    }
    address.unix_path = std::string(path);
    return address;
  }
  if (!url.starts_with("redis://")) {
    return std::string("expected redis://HOST:PORT or unix:/PATH");
  }
  auto rest = url.substr(8);
  if (rest.ends_with("/")) {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("@/?") != std::string_view::npos) {
    return std::string("only redis://HOST:PORT is supported (no user, password or database)");
  }
  std::string_view host = rest;
  if (rest.starts_with("[")) {  // [::1]:6379
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return std::string("unclosed [ in the address");
    }
    host = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
  } else {
    const auto colon = rest.rfind(':');
    host = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  }
  if (host.empty()) {
    return std::string("no host in the URL");
  }
  if (!rest.empty()) {
    const auto port = rest.starts_with(":") ? parse_port(rest.substr(1)) : std::nullopt;
    if (!port) {
      return std::string("bad port in the URL");
    }
    address.port = *port;
  }
  address.host = std::string(host);
  return address;
}

std::int64_t redis_value::as_integer() const {
  if (kind == type::integer) {
    return integer;
  }
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<std::string> stream_field(const redis_value& fields, std::string_view name) {
  for (std::size_t i = 0; i + 1 < fields.items.size(); i += 2) {
    if (fields.items[i].text == name) {
      return fields.items[i + 1].text;
    }
  }
  return std::nullopt;
}

redis_link::redis_link(redis_address address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {}

redis_link::~redis_link() {
  if (context_ != nullptr) {
    redisFree(context_);
  }
}

bool redis_link::ensure_connected() {
  if (context_ != nullptr) {
    return true;
  }
  const auto tv = to_timeval(timeout_);
  context_ = address_.unix_path.empty()
                 ? redisConnectWithTimeout(address_.host.c_str(), address_.port, tv)
                 : redisConnectUnixWithTimeout(address_.unix_path.c_str(), tv);
  if (context_ == nullptr) {
    error_ = "cannot allocate a Redis context";
    return false;
  }
  if (context_->err != 0) {
    drop_connection("cannot connect to");
    return false;
  }
  // The connect timeout bounds every later read and write too.
  redisSetTimeout(context_, tv);
  // TCP only: on a unix socket SO_KEEPALIVE fails, and hiredis marks the context broken.
  if (address_.unix_path.empty()) {
    redisEnableKeepAlive(context_);
  }
  return true;
}

void redis_link::drop_connection(const char* what) {
  error_ = std::string(what) + " Redis at " + address_.to_string();
  if (context_ != nullptr) {
    if (context_->err != 0) {
      error_ += ": ";
      error_ += static_cast<const char*>(context_->errstr);
    }
    redisFree(context_);
    context_ = nullptr;
  }
}

std::optional<redis_value> redis_link::read_reply() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    drop_connection("lost the connection to");
    return std::nullopt;
  }
  auto* reply = static_cast<redisReply*>(raw);
  auto value = copy_reply(*reply);
  freeReplyObject(reply);
  return value;
}

std::optional<std::vector<redis_value>> redis_link::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (!ensure_connected()) {
    return std::nullopt;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& args : commands) {
    argv.clear();
    lengths.clear();
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      drop_connection("cannot send to");
      return std::nullopt;
    }
  }
  std::vector<redis_value> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    auto reply = read_reply();
    if (!reply) {
      return std::nullopt;
    }
    replies.push_back(std::move(*reply));
  }
  return replies;
}

std::optional<redis_value> redis_link::call(const std::vector<std::string>& args) {
  auto replies = pipeline({args});
  if (!replies) {
    return std::nullopt;
  }
  return std::move(replies->front());
}

std::optional<redis_value> redis_link::eval(redis_script& script,
                                            const std::vector<std::string>& keys,
                                            const std::vector<std::string>& args) {
  const auto run = [&](const std::string& verb, const std::string& body) {
    std::vector<std::string> command{verb, body, std::to_string(keys.size())};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    return call(command);
  };
  if (!script.sha1.empty()) {
    auto reply = run("EVALSHA", script.sha1);
    if (!reply || !reply->is_error() || !reply->text.starts_with("NOSCRIPT")) {
      return reply;
    }
  }
  // Unknown to this Redis (first use, or it restarted): load it, then run it by its hash.
  auto loaded = call({"SCRIPT", "LOAD", script.source});
  if (!loaded) {
    return std::nullopt;
  }
  if (loaded->is_error()) {
    return loaded;
  }
  script.sha1 = loaded->text;
  return run("EVALSHA", script.sha1);
}

}  // namespace wordcrawl
