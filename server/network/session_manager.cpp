#include "network/session_manager.hpp"

#include <vector>

#include "network/session.hpp"

namespace wordcrawl {

void session_manager::start(const session_ptr& client) {
  sessions_.insert(client);
  count_ = sessions_.size();
  client->start();
}

void session_manager::remove(const session_ptr& client) {
  if (sessions_.erase(client) == 0) {
    return;
  }
  count_ = sessions_.size();
  if (sessions_.empty() && on_empty_) {
    on_empty_();
  }
}

// Sessions remove themselves while being told to stop, so iterate over a copy.
template <typename Action>
void session_manager::for_each(Action action) {
  const std::vector<session_ptr> snapshot(sessions_.begin(), sessions_.end());
  for (const auto& client : snapshot) {
    action(*client);
  }
}

void session_manager::stop_reading_all() {
  for_each([](session& client) { client.stop_reading(); });
}

void session_manager::grace_over_all() {
  for_each([](session& client) { client.on_grace_over(); });
}

}  // namespace wordcrawl
