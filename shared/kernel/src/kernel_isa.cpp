#include "kernel_isa.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace wordcrawl::kernel_isa {
namespace {

level best_supported() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  // NOLINTNEXTLINE(readability-implicit-bool-conversion): the builtin returns int
  if (__builtin_cpu_supports("avx2")) {
    return level::avx2;
  }
  return level::sse2;
#else
  return level::portable;
#endif
}

}  // namespace

level detail::resolve() {
  level chosen = best_supported();
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once; nothing sets it while the kernel runs
  if (const char* forced = std::getenv("WORDCRAWL_KERNEL_ISA"); forced != nullptr) {
    for (const level candidate : available()) {
      if (name(candidate) == forced) {
        chosen = std::min(chosen, candidate);  // a request can only lower the level
      }
    }
  }
  current.store(static_cast<std::uint8_t>(chosen), std::memory_order_relaxed);
  return chosen;
}

std::vector<level> available() {
  std::vector<level> levels;
  const level best = best_supported();
  for (const level candidate : {level::portable, level::sse2, level::avx2}) {
    if (candidate <= best) {
      levels.push_back(candidate);
    }
  }
  return levels;
}

void use(level path) {
  detail::current.store(static_cast<std::uint8_t>(std::min(path, best_supported())),
                        std::memory_order_relaxed);
}

std::string_view name(level path) {
  switch (path) {
    case level::sse2:
      return "sse2";
    case level::avx2:
      return "avx2";
    default:
      return "portable";
  }
}

}  // namespace wordcrawl::kernel_isa
