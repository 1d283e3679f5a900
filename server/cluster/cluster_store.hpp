#pragma once

// The cluster's state in Redis, as operations: each is one command or one Lua script, so that
// what must happen together (record the answer, acknowledge, delete, free the host) does.
// One store per thread: it owns a redis_link. Every operation returns nullopt (or false) when
// Redis could not be reached; callers retry.
//
// Keys, all under "<name>:":
//   work            the stream of URLs to work, read by the consumer group "workers"
//   dead            URLs given up after max_tries deliveries (capped, for inspection)
//   replies:<node>  answers for the clients of one node, which reads and deletes them
//   done:<request>  set when a request is answered: a second answer is never sent
//   host:<host>     sorted set of fetch leases of one host, scored by expiry
//   node:<node>     a live node's heartbeat
//   processed       URLs answered by the whole cluster

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster_options.hpp"
#include "cluster/redis_link.hpp"
#include "cluster/work_entry.hpp"

namespace wordcrawl {

/// An answer read from a node's reply stream.
struct cluster_reply {
  std::string id;
  std::string request;
  std::string line;         // the reply line, without "\n"; empty when gave_up is set
  std::size_t gave_up = 0;  // deliveries after which the cluster gave up
};

/// What reclaim() did.
struct reclaim_result {
  std::vector<work_entry> claimed;  // now this node's
  std::size_t gave_up = 0;          // moved to the dead letters and answered
};

/// Host lease outcome of one entry.
enum class lease_state : std::int8_t { granted, busy, origin_gone };

class cluster_store {
 public:
  cluster_store(const cluster_options& options, std::chrono::milliseconds timeout);

  /// Creates the consumer group (and the stream) if missing.
  bool ensure_group();
  /// URLs in the work stream (waiting or claimed).
  std::optional<std::size_t> backlog();
  /// Adds entries to the work stream; their ids are set.
  bool submit(std::vector<work_entry>& entries);
  /// Up to count new entries for consumer, waiting up to block for the first.
  std::optional<std::vector<work_entry>> read_new(const std::string& consumer, std::size_t count,
                                                  std::chrono::milliseconds block);
  /// Takes entries idle longer than the visibility timeout; those delivered max_tries times
  /// are given up instead.
  std::optional<reclaim_result> reclaim(const std::string& consumer, std::size_t count);
  /// Tries to take a fetch lease on each entry's host (per_host across the cluster).
  std::optional<std::vector<lease_state>> acquire(const std::vector<work_entry>& entries,
                                                  std::size_t per_host);
  /// Renews the leases (stream entry and host) of entries consumer still holds.
  bool renew(const std::string& consumer, const std::vector<work_entry>& entries);
  /// Makes entries claimable by others at once (a stopping node), freeing their host leases.
  bool release(const std::string& consumer, const std::vector<work_entry>& entries);
  /// What finish() did.
  struct finish_outcome {
    bool sent = false;         // this call sent the answer (false: it was answered before)
    bool handed_over = false;  // the successor now holds the entry's host lease
  };
  /// Records the answer once per request, acknowledges and deletes the entry, and frees its
  /// host lease or hands it to successor (an entry of the same host this node holds).
  std::optional<finish_outcome> finish(const work_entry& entry, const std::string& line,
                                       const work_entry* successor = nullptr);

  /// Marks node alive; false if its key had expired (or Redis lost it) before this beat.
  std::optional<bool> beat(const std::string& node, bool first);
  /// Answers for node after the entry id after, waiting up to block.
  std::optional<std::vector<cluster_reply>> read_replies(const std::string& node,
                                                         const std::string& after,
                                                         std::chrono::milliseconds block);
  /// Deletes read answers.
  bool delete_replies(const std::string& node, const std::vector<std::string>& ids);

  /// The underlying link (for messages).
  const redis_link& link() const { return link_; }

 private:
  std::string key(const std::string& name) const { return prefix_ + name; }
  std::chrono::milliseconds done_ttl() const;

  cluster_options options_;
  std::string prefix_;
  redis_link link_;
  redis_script acquire_script_;
  redis_script renew_script_;
  redis_script release_script_;
  redis_script reclaim_script_;
  redis_script finish_script_;
};

/// The consumer group every node reads the work stream through.
inline constexpr const char* cluster_group = "workers";

}  // namespace wordcrawl
