#include "cluster/cluster_store.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "cluster/cluster_scripts.hpp"

namespace wordcrawl {
namespace {

std::string ms(std::chrono::milliseconds value) {
  return std::to_string(value.count());
}

// The entries of an XREADGROUP/XREAD reply: [[stream, [[id, fields], ...]]], or nil.
const std::vector<redis_value>* stream_items(const redis_value& reply) {
  if (reply.kind != redis_value::type::array || reply.items.empty() ||
      reply.items[0].items.size() != 2) {
    return nullptr;
  }
  return &reply.items[0].items[1].items;
}

// (id, host) pairs after the fixed arguments.
void append_ids_and_hosts(std::vector<std::string>& args, const std::vector<work_entry>& entries) {
  for (const auto& entry : entries) {
    args.push_back(entry.id);
    args.push_back(entry.host);
  }
}

}  // namespace

cluster_store::cluster_store(const cluster_options& options, std::chrono::milliseconds timeout)
    : options_(options),
      prefix_(options.name + ":"),
      link_(options.redis.value_or(redis_address{}), timeout),
      acquire_script_(cluster_scripts::acquire),
      renew_script_(cluster_scripts::renew),
      release_script_(cluster_scripts::release),
      reclaim_script_(cluster_scripts::reclaim),
      finish_script_(cluster_scripts::finish) {}

std::chrono::milliseconds cluster_store::done_ttl() const {
  // Longer than any redelivery can take: every try may run a whole visibility timeout.
  const auto redeliveries = options_.visibility * static_cast<std::int64_t>(options_.max_tries + 1);
  return std::max<std::chrono::milliseconds>(std::chrono::minutes(10), redeliveries);
}

bool cluster_store::ensure_group() {
  const auto reply = link_.call({"XGROUP", "CREATE", key("work"), cluster_group, "0", "MKSTREAM"});
  return reply && (!reply->is_error() || reply->text.starts_with("BUSYGROUP"));
}

std::optional<std::size_t> cluster_store::backlog() {
  const auto reply = link_.call({"XLEN", key("work")});
  if (!reply || reply->is_error()) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(reply->as_integer());
}

bool cluster_store::submit(std::vector<work_entry>& entries) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(entries.size());
  for (const auto& entry : entries) {
    std::vector<std::string> command{"XADD", key("work"), "*"};
    auto fields = entry_fields(entry);
    command.insert(command.end(), std::make_move_iterator(fields.begin()),
                   std::make_move_iterator(fields.end()));
    commands.push_back(std::move(command));
  }
  const auto replies = link_.pipeline(commands);
  if (!replies) {
    return false;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if ((*replies)[i].is_error()) {
      return false;
    }
    entries[i].id = (*replies)[i].text;
  }
  return true;
}

std::optional<std::vector<work_entry>> cluster_store::read_new(const std::string& consumer,
                                                               std::size_t count,
                                                               std::chrono::milliseconds block) {
  const auto reply =
      link_.call({"XREADGROUP", "GROUP", cluster_group, consumer, "COUNT", std::to_string(count),
                  "BLOCK", ms(block), "STREAMS", key("work"), ">"});
  if (!reply) {
    return std::nullopt;
  }
  if (reply->is_error()) {
    // Redis restarted without its data: the group is gone with the stream.
    if (reply->text.starts_with("NOGROUP")) {
      ensure_group();
    }
    return std::nullopt;
  }
  std::vector<work_entry> entries;
  if (const auto* items = stream_items(*reply)) {
    for (const auto& item : *items) {
      if (auto entry = parse_entry(item)) {
        entries.push_back(std::move(*entry));
      }
    }
  }
  return entries;
}

std::optional<reclaim_result> cluster_store::reclaim(const std::string& consumer,
                                                     std::size_t count) {
  const auto reply = link_.eval(
      reclaim_script_, {key("work"), key("dead")},
      {cluster_group, consumer, ms(options_.visibility), std::to_string(options_.max_tries),
       std::to_string(count), prefix_, ms(done_ttl()), ms(done_ttl())});
  if (!reply || reply->is_error() || reply->items.size() != 2) {
    return std::nullopt;
  }
  reclaim_result result;
  for (const auto& item : reply->items[0].items) {
    if (auto entry = parse_entry(item)) {
      result.claimed.push_back(std::move(*entry));
    }
  }
  result.gave_up = static_cast<std::size_t>(reply->items[1].as_integer());
  return result;
}

std::optional<std::vector<lease_state>> cluster_store::acquire(
    const std::vector<work_entry>& entries, std::size_t per_host) {
  std::vector<std::string> args{prefix_, cluster_group, std::to_string(per_host),
                                ms(options_.visibility)};
  for (const auto& entry : entries) {
    args.push_back(entry.id);
    args.push_back(entry.host);
    args.push_back(entry.origin);
  }
  const auto reply = link_.eval(acquire_script_, {key("work")}, args);
  if (!reply || reply->is_error() || reply->items.size() != entries.size()) {
    return std::nullopt;
  }
  std::vector<lease_state> states;
  states.reserve(entries.size());
  for (const auto& item : reply->items) {
    const auto value = item.as_integer();
    states.push_back(value > 0    ? lease_state::granted
                     : value == 0 ? lease_state::busy
                                  : lease_state::origin_gone);
  }
  return states;
}

bool cluster_store::renew(const std::string& consumer, const std::vector<work_entry>& entries) {
  std::vector<std::string> args{cluster_group, consumer, ms(options_.visibility), prefix_};
  append_ids_and_hosts(args, entries);
  const auto reply = link_.eval(renew_script_, {key("work")}, args);
  return reply && !reply->is_error();
}

bool cluster_store::release(const std::string& consumer, const std::vector<work_entry>& entries) {
  std::vector<std::string> args{cluster_group, consumer, ms(options_.visibility), prefix_};
  append_ids_and_hosts(args, entries);
  const auto reply = link_.eval(release_script_, {key("work")}, args);
  return reply && !reply->is_error();
}

std::optional<cluster_store::finish_outcome> cluster_store::finish(const work_entry& entry,
                                                                   const std::string& line,
                                                                   const work_entry* successor) {
  const auto reply =
      link_.eval(finish_script_,
                 {key("work"), key("done:" + entry.request), key("replies:" + entry.origin),
                  key("node:" + entry.origin), key("processed")},
                 {cluster_group, entry.id, entry.request, line, ms(done_ttl()), ms(done_ttl()),
                  entry.host.empty() ? std::string() : key("host:" + entry.host),
                  successor != nullptr ? successor->id : std::string(), ms(options_.visibility)});
  if (!reply || reply->is_error() || reply->items.size() != 3) {
    return std::nullopt;
  }
  return finish_outcome{reply->items[0].as_integer() == 1, reply->items[2].as_integer() == 1};
}

std::optional<bool> cluster_store::beat(const std::string& node, bool first) {
  const auto reply =
      link_.call({"SET", key("node:" + node), "1", "PX", ms(options_.node_ttl), "GET"});
  if (!reply || reply->is_error()) {
    return std::nullopt;
  }
  // nil: the key had expired, or Redis lost it; set again now, the caller resubmits.
  return first || reply->kind != redis_value::type::nil;
}

std::optional<std::vector<cluster_reply>> cluster_store::read_replies(
    const std::string& node, const std::string& after, std::chrono::milliseconds block) {
  const auto reply = link_.call(
      {"XREAD", "COUNT", "256", "BLOCK", ms(block), "STREAMS", key("replies:" + node), after});
  if (!reply || reply->is_error()) {
    return std::nullopt;
  }
  std::vector<cluster_reply> replies;
  if (const auto* items = stream_items(*reply)) {
    for (const auto& item : *items) {
      if (item.items.size() != 2) {
        continue;
      }
      cluster_reply answer;
      answer.id = item.items[0].text;
      const auto& fields = item.items[1];
      answer.request = stream_field(fields, "req").value_or("");
      answer.line = stream_field(fields, "line").value_or("");
      const auto tries = stream_field(fields, "gave_up").value_or("0");
      std::from_chars(tries.data(), tries.data() + tries.size(), answer.gave_up);
      replies.push_back(std::move(answer));
    }
  }
  return replies;
}

bool cluster_store::delete_replies(const std::string& node, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return true;
  }
  std::vector<std::string> command{"XDEL", key("replies:" + node)};
  command.insert(command.end(), ids.begin(), ids.end());
  const auto reply = link_.call(command);
  return reply && !reply->is_error();
}

}  // namespace wordcrawl
