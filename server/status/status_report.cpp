#include "status/status_report.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>
#include <vector>

namespace wordcrawl {
namespace {

using host_count = std::pair<std::string, std::size_t>;

// Fetches in flight by host, the busiest first (ties by name), at most max_shown_hosts.
std::vector<host_count> busiest_hosts(const std::vector<worker_view>& workers) {
  std::map<std::string, std::size_t> by_host;
  for (const auto& worker : workers) {
    if (worker.state != worker_state::idle && !worker.host.empty()) {
      ++by_host[worker.host];
    }
  }
  std::vector<host_count> out(by_host.begin(), by_host.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  out.resize(std::min(out.size(), max_shown_hosts));
  return out;
}

std::size_t busy(const std::vector<worker_view>& workers) {
  return static_cast<std::size_t>(std::count_if(
      workers.begin(), workers.end(), [](const auto& w) { return w.state != worker_state::idle; }));
}

void write_urls(exposition& out, const status_metrics& metrics) {
  out.family("wordcrawl_urls_total", "URLs processed by a worker, by outcome and error kind",
             "counter");
  out.sample("wordcrawl_urls_total", {{"outcome", "ok"}}, static_cast<double>(metrics.ok()));
  for (std::size_t i = 0; i < error_kind_count; ++i) {
    const auto kind = static_cast<error_kind>(i);
    out.sample("wordcrawl_urls_total",
               {{"outcome", "failed"}, {"kind", std::string(to_string(kind))}},
               static_cast<double>(metrics.failed(kind)));
  }
}

void write_gauge(exposition& out, std::string_view name, std::string_view help, double value) {
  out.family(name, help, "gauge");
  out.sample(name, {}, value);
}

void write_state(exposition& out, const status_view& view,
                 const std::vector<worker_view>& workers) {
  write_gauge(out, "wordcrawl_queue_depth", "Jobs in the queue waiting for a worker",
              static_cast<double>(view.queue_depth));
  write_gauge(out, "wordcrawl_queue_capacity", "Jobs the queue holds (--queue)",
              static_cast<double>(view.queue_capacity));
  write_gauge(out, "wordcrawl_parked_jobs", "Jobs parked waiting for room in the queue",
              static_cast<double>(view.parked));
  write_gauge(out, "wordcrawl_workers_busy", "Workers fetching or counting",
              static_cast<double>(busy(workers)));
  write_gauge(out, "wordcrawl_workers_total", "Worker threads (-w)",
              static_cast<double>(view.workers_total));
  write_gauge(out, "wordcrawl_clients_connected", "Client connections open",
              static_cast<double>(view.clients));
  out.family("wordcrawl_host_fetches_in_flight",
             "Fetches in flight by host (the 20 busiest hosts only)", "gauge");
  for (const auto& [host, count] : busiest_hosts(workers)) {
    out.sample("wordcrawl_host_fetches_in_flight", {{"host", host}}, static_cast<double>(count));
  }
}

}  // namespace

std::string metrics_text(const status_view& view) {
  const auto& metrics = *view.metrics;
  const auto workers = metrics.workers().read();
  exposition out;
  write_urls(out, metrics);
  out.family("wordcrawl_fetched_bytes_total", "Decoded body bytes of every page fetched",
             "counter");
  out.sample("wordcrawl_fetched_bytes_total", {}, static_cast<double>(metrics.bytes()));
  write_state(out, view, workers);
  out.write_histogram("wordcrawl_fetch_duration_seconds",
                      "Time of a fetch as the fetcher measures it (elapsed_ms)",
                      metrics.fetch_seconds());
  out.write_histogram("wordcrawl_kernel_duration_seconds",
                      "Time from the end of a page's transfer to its answer (top k, statistics)",
                      metrics.kernel_seconds());
  return out.text();
}

nlohmann::json status_json(const status_view& view) {
  const auto& metrics = *view.metrics;
  const auto workers = metrics.workers().read();
  auto failed = nlohmann::json::object();
  for (std::size_t i = 0; i < error_kind_count; ++i) {
    const auto kind = static_cast<error_kind>(i);
    if (metrics.failed(kind) != 0) {
      failed[std::string(to_string(kind))] = metrics.failed(kind);
    }
  }
  auto shown = nlohmann::json::array();
  for (std::size_t i = 0; i < workers.size(); ++i) {
    nlohmann::json worker{
        {"id", i}, {"state", to_string(workers[i].state)}, {"for_ms", workers[i].for_time.count()}};
    if (workers[i].state != worker_state::idle) {
      worker["host"] = workers[i].host;
      worker["url"] = workers[i].url;
    }
    shown.push_back(std::move(worker));
  }
  auto hosts = nlohmann::json::object();
  for (const auto& [host, count] : busiest_hosts(workers)) {
    hosts[host] = count;
  }
  // The server's clock, so that a page computes rates over real time whatever its own clock.
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  return {{"now_ms", now_ms},
          {"queue", {{"depth", view.queue_depth}, {"capacity", view.queue_capacity}}},
          {"parked", view.parked},
          {"clients", view.clients},
          {"workers_total", view.workers_total},
          {"workers_busy", busy(workers)},
          {"stopping", view.stopping},
          {"processed", view.totals.processed},
          {"ok", view.totals.ok},
          {"failed", view.totals.failed},
          {"rejected", view.totals.rejected},
          {"dropped", view.totals.dropped},
          {"failed_by_kind", std::move(failed)},
          {"bytes", metrics.bytes()},
          {"hosts_in_flight", std::move(hosts)},
          {"workers", std::move(shown)}};
}

}  // namespace wordcrawl
