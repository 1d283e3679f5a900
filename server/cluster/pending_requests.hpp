#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cluster/work_entry.hpp"
#include "dispatch/job.hpp"

namespace wordcrawl {

/// The jobs this node's clients handed to the cluster, by request key, until their answers
/// come back. A request is taken once: a second answer for it finds nothing. Thread-safe.
class pending_requests {
 public:
  void add(const std::string& request, job item, work_entry entry) {
    const std::lock_guard lock(mutex_);
    jobs_.insert_or_assign(request, waiting{std::move(item), std::move(entry)});
  }
  std::optional<job> take(const std::string& request) {
    const std::lock_guard lock(mutex_);
    const auto found = jobs_.find(request);
    if (found == jobs_.end()) {
      return std::nullopt;
    }
    auto item = std::move(found->second.item);
    jobs_.erase(found);
    return item;
  }
  std::vector<job> take_all() {
    const std::lock_guard lock(mutex_);
    std::vector<job> items;
    items.reserve(jobs_.size());
    for (auto& [request, entry] : jobs_) {
      items.push_back(std::move(entry.item));
    }
    jobs_.clear();
    return items;
  }
  /// The entries still waiting, to submit again after Redis lost them.
  std::vector<work_entry> entries() const {
    const std::lock_guard lock(mutex_);
    std::vector<work_entry> all;
    all.reserve(jobs_.size());
    for (const auto& [request, entry] : jobs_) {
      all.push_back(entry.entry);
    }
    return all;
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return jobs_.size();
  }

 private:
  struct waiting {
    job item;
    work_entry entry;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, waiting> jobs_;
};

}  // namespace wordcrawl
