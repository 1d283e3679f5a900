#include "status/rate_history.hpp"

namespace wordcrawl {

void rate_history::record(const sample& taken) {
  samples_.push_back(taken);
  while (samples_.size() > capacity_) {
    samples_.pop_front();
  }
}

nlohmann::json rate_history::to_json() const {
  auto out = nlohmann::json::array();
  for (const auto& taken : samples_) {
    out.push_back({taken.at_ms, taken.processed, taken.failed});
  }
  return out;
}

}  // namespace wordcrawl
