#pragma once

// A private network namespace for tests that need a peer that is not loopback: the calling
// test runs body on a new thread moved into a new namespace, with lo up and address on it, so
// a server bound there sees connections from address. Needs root and iproute2.

#include <chrono>
#include <functional>
#include <sched.h>
#include <string>
#include <thread>

#include "support/child_process.hpp"

namespace wordcrawl::testing {

/// Runs body as above; the sockets and threads it makes stay in the namespace. False, body
/// not run, if the namespace cannot be made.
inline bool in_private_network(const std::string& address, const std::function<void()>& body) {
  bool ready = false;
  std::thread worker([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      return;
    }
    child_process ip("/bin/sh", {"-c",
                                 "PATH=/usr/sbin:/usr/bin:/sbin:/bin; ip link set lo up "
                                 "&& ip addr add " +
                                     address + "/32 dev lo"});
    if (ip.wait(std::chrono::seconds(10)) != 0) {
      return;
    }
    ready = true;
    body();
  });
  worker.join();
  return ready;
}

}  // namespace wordcrawl::testing
