#include "cluster/cluster_frontend.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <utility>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t max_batch = 64;       // jobs added to the stream in one round trip
constexpr milliseconds reply_block{200};    // longest wait for answers between heartbeats
constexpr milliseconds backlog_poll{20};    // while the shared queue is over its cap
constexpr milliseconds first_backoff{100};  // after Redis could not be reached
constexpr milliseconds longest_backoff{2000};

milliseconds beat_interval(const cluster_options& options) {
  return std::clamp(options.node_ttl / 4, milliseconds(100), milliseconds(1000));
}

}  // namespace

cluster_frontend::cluster_frontend(cluster_options options, std::string node, job_dispatcher& jobs,
                                   progress_log& log)
    : options_(std::move(options)), node_(std::move(node)), jobs_(jobs), log_(log) {
  submitter_ = std::thread([this] { run_submitter(); });
  reader_ = std::thread([this] { run_reader(); });
}

cluster_frontend::~cluster_frontend() {
  join();
}

void cluster_frontend::join() {
  jobs_.close();
  if (submitter_.joinable()) {
    submitter_.join();
  }
  stop_.raise();
  if (reader_.joinable()) {
    reader_.join();
  }
  // Every client is gone by now: nobody waits for these any more.
  for (const auto& item : pending_.take_all()) {
    log_.record_dropped();
    jobs_.drop(item);
  }
}

void cluster_frontend::run_submitter() {
  cluster_store store(options_, milliseconds(2000));
  std::vector<job> batch;
  while (auto first = jobs_.take()) {
    batch.clear();
    batch.push_back(std::move(*first));
    while (batch.size() < max_batch) {
      auto more = jobs_.try_take();
      if (!more) {
        break;
      }
      batch.push_back(std::move(*more));
    }
    submit(store, batch);
  }
}

void cluster_frontend::submit(cluster_store& store, std::vector<job>& batch) {
  std::vector<work_entry> entries;
  entries.reserve(batch.size());
  for (auto& item : batch) {
    if (jobs_.settle_if_moot(item)) {
      continue;
    }
    work_entry entry{
        "", node_ + ":" + std::to_string(++sequence_), node_, item.url, item.host, item.settings};
    pending_.add(entry.request, std::move(item), entry);
    entries.push_back(std::move(entry));
  }
  if (entries.empty() || !wait_for_backlog_room(store)) {
    return;
  }
  bool reported = false;
  for (auto delay = first_backoff; !store.submit(entries);
       delay = std::min(delay * 2, longest_backoff)) {
    if (!reported) {
      log_.write_note("cluster: " + store.link().error() + "; retrying");
      reported = true;
    }
    // Past the grace period the reply thread answers what is pending.
    if (jobs_.abandoned() || stop_.wait_for(delay)) {
      return;
    }
  }
}

// Holds the submitter while the shared queue is over its cap: the dispatcher's queue fills,
// and the sessions stop reading, as they do on one machine when the workers fall behind.
bool cluster_frontend::wait_for_backlog_room(cluster_store& store) {
  for (;;) {
    const auto backlog = store.backlog();
    if (backlog && *backlog < options_.backlog) {
      return true;
    }
    if (jobs_.abandoned() || stop_.wait_for(backlog ? backlog_poll : first_backoff)) {
      return false;
    }
  }
}

void cluster_frontend::run_reader() {
  cluster_store store(options_, reply_block + milliseconds(2000));
  std::string after = "0";
  bool first_beat = true;
  bool reachable = true;
  auto next_beat = std::chrono::steady_clock::now();
  while (!stop_.raised()) {
    if (std::chrono::steady_clock::now() >= next_beat) {
      if (const auto alive = store.beat(node_, first_beat)) {
        if (!*alive) {
          log_.write_note("cluster: this node's key was gone from Redis; submitting its " +
                          std::to_string(pending_.size()) + " waiting URLs again");
          resubmit_all(store);
        }
        first_beat = false;
        next_beat = std::chrono::steady_clock::now() + beat_interval(options_);
      }
    }
    if (jobs_.abandoned()) {
      answer_pending_shutting_down();
    }
    const auto replies = store.read_replies(node_, after, reply_block);
    if (!replies) {
      if (reachable) {
        log_.write_note("cluster: " + store.link().error() + "; retrying");
        reachable = false;
      }
      stop_.wait_for(first_backoff);
      continue;
    }
    if (!reachable) {
      log_.write_note("cluster: Redis at " + store.link().address().to_string() +
                      " is reachable again");
      reachable = true;
    }
    if (replies->empty()) {
      continue;
    }
    after = replies->back().id;
    hand_over(*replies);
    std::vector<std::string> ids;
    ids.reserve(replies->size());
    for (const auto& reply : *replies) {
      ids.push_back(reply.id);
    }
    store.delete_replies(node_, ids);
  }
}

void cluster_frontend::hand_over(const std::vector<cluster_reply>& replies) {
  for (const auto& reply : replies) {
    auto item = pending_.take(reply.request);
    if (!item) {
      continue;  // answered already (a resubmitted request), or given up at shutdown
    }
    if (reply.gave_up > 0) {
      const auto result = page_result::failure(
          error_kind::gave_up, "gave up after " + std::to_string(reply.gave_up) +
                                   " tries: every node that took the URL stopped before answering");
      log_.record_processed(result);
      jobs_.deliver(*item, result);
    } else {
      jobs_.deliver_line(*item, reply.line + "\n");
    }
  }
}

void cluster_frontend::resubmit_all(cluster_store& store) {
  auto entries = pending_.entries();
  std::vector<work_entry> chunk;
  for (auto next = entries.begin(); next != entries.end();) {
    const auto count = std::min<std::ptrdiff_t>(entries.end() - next, max_batch);
    chunk.assign(std::make_move_iterator(next), std::make_move_iterator(next + count));
    next += count;
    // A request answered meanwhile is answered once: done:<request> and the pending map
    // both see to that.
    store.submit(chunk);
  }
}

void cluster_frontend::answer_pending_shutting_down() {
  for (const auto& item : pending_.take_all()) {
    log_.record_shutting_down();
    jobs_.deliver(item, page_result::failure(error_kind::shutting_down, shutting_down_message));
  }
}

}  // namespace wordcrawl
