#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "cluster/cluster_backend.hpp"
#include "cluster/cluster_frontend.hpp"
#include "cluster/cluster_options.hpp"
#include "dispatch/job_dispatcher.hpp"
#include "dispatch/job_runner.hpp"
#include "dispatch/progress_log.hpp"
#include "fetch/url_processor.hpp"

namespace wordcrawl {

/// A server that joined a cluster: its clients' jobs go to the shared queue in Redis and come
/// back answered by whichever node worked them, and its workers work the shared queue.
class cluster_node final : public job_runner {
 public:
  /// Checks that Redis answers (throws std::runtime_error saying why not), then starts.
  cluster_node(const cluster_options& options, std::size_t workers, std::size_t per_host,
               job_dispatcher& jobs, const processor_factory& factory, progress_log& log,
               const std::atomic<bool>& cancel, status_metrics* status = nullptr);
  ~cluster_node() override;
  cluster_node(const cluster_node&) = delete;
  cluster_node& operator=(const cluster_node&) = delete;
  cluster_node(cluster_node&&) = delete;
  cluster_node& operator=(cluster_node&&) = delete;

  void join() override;

  /// This node's name in the cluster: "<host name>:<pid>:<random>".
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::unique_ptr<cluster_backend> backend_;
  std::unique_ptr<cluster_frontend> frontend_;
};

}  // namespace wordcrawl
