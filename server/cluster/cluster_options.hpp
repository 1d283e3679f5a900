#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "cluster/redis_link.hpp"

namespace wordcrawl {

/// How a node joins a cluster (server --redis and the options beside it).
struct cluster_options {
  /// Where the shared Redis is; unset: no cluster, the node works alone.
  std::optional<redis_address> redis{};
  /// Prefix of every key, so that several clusters can share one Redis.
  std::string name = "wordcrawl";
  /// How long a claimed URL stays with a node that stopped renewing its lease (it died) before
  /// another node takes it; a live node renews every third of it.
  std::chrono::milliseconds visibility{10000};
  /// Nodes that may take a URL before it is answered "gave up" and kept in the dead letters.
  std::size_t max_tries = 3;
  /// URLs in the shared queue (waiting or being worked) over which nodes stop reading clients.
  std::size_t backlog = 10000;
  /// How long a node's key outlives its last heartbeat; after that its queued URLs are
  /// dropped by whoever claims them, since nobody could send their answers.
  std::chrono::milliseconds node_ttl{30000};
};

}  // namespace wordcrawl
