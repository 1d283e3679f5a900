#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "fetch/url_processor.hpp"

namespace wordcrawl {

/// Whoever asked for a job's URL: the session of one client. Called on the I/O thread only.
class job_owner {
 public:
  job_owner() = default;
  virtual ~job_owner() = default;
  job_owner(const job_owner&) = delete;
  job_owner& operator=(const job_owner&) = delete;
  job_owner(job_owner&&) = delete;
  job_owner& operator=(job_owner&&) = delete;

  /// Takes the reply line ("\n" included) of one of the owner's jobs; false if the owner is
  /// closed and dropped it, so its bytes are not held.
  virtual bool deliver(std::string line) = 0;

  /// The owner's parked job left the waiting line (queued, or answered at shutdown), so the
  /// owner may hand in more jobs.
  virtual void on_unparked() = 0;
};

/// Identifies the jobs of one owner in the queue, which serves owners in turn.
using lane_id = std::uint64_t;

/// One URL to fetch. The owner is held weakly: a client that went away cancels its jobs.
struct job {
  std::string url;
  std::weak_ptr<job_owner> owner;
  /// The owner's lane: every job of one client has the same.
  lane_id lane = 0;
  /// The URL's host, for the per-host limit (empty: no limit applies).
  std::string host{};
  /// Set by the queue when the job starts: it holds a reply reservation in the budget.
  bool reserved = false;
  /// How the answer is made (k, word options).
  answer_settings settings{};
  /// "scheme://host:port", for robots.txt; set by the queue when robots.txt is obeyed.
  std::string origin{};
};

}  // namespace wordcrawl
