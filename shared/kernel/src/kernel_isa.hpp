#pragma once

// Which instruction set the kernel's hot byte scans use, chosen once at run time: the best
// the CPU has (AVX2 on most x86-64 machines, SSE2 on every one, plain C++ elsewhere), or a
// lower one named by the environment variable WORDCRAWL_KERNEL_ISA (portable, sse2, avx2),
// so that the portable path can be tested on any machine. Every path gives the same results.

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wordcrawl::kernel_isa {

enum class level : std::uint8_t {
  portable,  // plain C++ (and 8-byte SWAR): any CPU
  sse2,      // 16-byte vectors: every x86-64 CPU
  avx2,      // 32-byte vectors
};

namespace detail {
inline constexpr std::uint8_t unresolved = 0xFF;
// The level in use, or unresolved. Relaxed is enough: every thread resolving it at once
// computes the same value.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): set once, then read
inline std::atomic<std::uint8_t> current{unresolved};
level resolve();
}  // namespace detail

/// The level in use: resolved on first call from the CPU and WORDCRAWL_KERNEL_ISA.
inline level active() {
  const std::uint8_t value = detail::current.load(std::memory_order_relaxed);
  return value == detail::unresolved ? detail::resolve() : static_cast<level>(value);
}

/// Every level this machine can run, portable first.
std::vector<level> available();

/// Makes the following calls use `path` (one of available()); for tests that compare paths.
/// Not for use while other threads run the kernel.
void use(level path);

/// "portable", "sse2" or "avx2".
std::string_view name(level path);

}  // namespace wordcrawl::kernel_isa
