#include "cluster/cluster_node.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "cluster/cluster_store.hpp"

namespace wordcrawl {
namespace {

// Unique per process, and readable in XINFO CONSUMERS and in the logs.
std::string make_node_name() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) {
    host = {'n', 'o', 'd', 'e'};
  }
  std::random_device random;
  const auto tag = std::uniform_int_distribution<unsigned>(0, 0xffffff)(random);
  std::array<char, 8> hex{};
  const auto written = std::to_chars(hex.data(), hex.data() + hex.size(), tag, 16);
  return std::string(host.data()) + ":" + std::to_string(::getpid()) + ":" +
         std::string(hex.data(), written.ptr);
}

}  // namespace

cluster_node::cluster_node(const cluster_options& options, std::size_t workers,
                           std::size_t per_host, job_dispatcher& jobs,
                           const processor_factory& factory, progress_log& log,
                           const std::atomic<bool>& cancel, status_metrics* status)
    : name_(make_node_name()) {
  cluster_store store(options, std::chrono::milliseconds(2000));
  if (!store.ensure_group()) {
    throw std::runtime_error("cannot join the cluster: " + store.link().error());
  }
  if (!store.beat(name_, true)) {
    throw std::runtime_error("cannot join the cluster: " + store.link().error());
  }
  log.write_note("cluster: node " + name_ + " joined " + options.name + " on " +
                 options.redis.value_or(redis_address{}).to_string());
  backend_ = std::make_unique<cluster_backend>(options, name_, workers, per_host, factory, log,
                                               cancel, status);
  frontend_ = std::make_unique<cluster_frontend>(options, name_, jobs, log);
}

cluster_node::~cluster_node() {
  join();
}

void cluster_node::join() {
  // The clients' side first: every answer this node waits for has come, or nobody waits.
  if (frontend_) {
    frontend_->join();
  }
  if (backend_) {
    backend_->join();
  }
}

}  // namespace wordcrawl
