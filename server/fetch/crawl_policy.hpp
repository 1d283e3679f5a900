#pragma once

#include "fetch/host_pacer.hpp"
#include "fetch/robots_cache.hpp"

namespace wordcrawl {

/// The politeness state every worker shares, and the queue consults so that it hands out only
/// jobs that can start at once; a null member is switched off.
struct crawl_policy {
  robots_cache* robots = nullptr;  // obey robots.txt (--robots obey)
  host_pacer* pacer = nullptr;     // space the requests to one host (--delay, Crawl-delay)
};

}  // namespace wordcrawl
