#include "word_table.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace wordcrawl {
namespace {

constexpr std::size_t initial_slots = 4096;

// A multiply-xorshift hash over 8-byte words: words are short, so this beats byte-wise FNV.
std::uint64_t hash_bytes(std::string_view text) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ text.size();
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32U;
    p += 8;
    n -= 8;
  }
  // The last 1-7 bytes without a variable-length copy (which would go through the stack):
  // two overlapping 4-byte loads, or three single bytes (as wyhash does).
  std::uint64_t v = 0;
  if (n >= 4) {
    std::uint32_t low = 0;
    std::uint32_t high = 0;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    v = low | (std::uint64_t{high} << 32U);
  } else if (n > 0) {
    const auto byte = [p](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(p[i])};
    };
    v = byte(0) | (byte(n / 2) << 8U) | (byte(n - 1) << 16U);
  }
  h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 29U;
  return h;
}

// Equality of two equally long words, inline: after a 64-bit hash match it is nearly always
// true, and most words are shorter than a memcmp call costs.
bool same_bytes(const char* a, const char* b, std::size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) {
      return false;
    }
  }
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) {
      return false;
    }
  }
  return true;
}

}  // namespace

word_table::word_table() : index_(initial_slots) {}

void word_table::clear() {
  // An index sized for one huge page would spread the next page's words over memory that
  // no longer fits the cache: start small again.
  if (index_.size() > initial_slots && entries_.size() * 8 < index_.size()) {
    index_.assign(initial_slots, 0);
  } else {
    std::fill(index_.begin(), index_.end(), 0);
  }
  entries_.clear();
  arena_.clear();
}

void word_table::add(std::string_view word) {
  const std::uint64_t hash = hash_bytes(word);
  const std::uint64_t tag = hash & ~std::uint64_t{0xFFFFFFFF};
  const std::size_t mask = index_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint64_t slot = index_[i];
    if (slot == 0) {
      insert(word, tag, i);
      return;
    }
    if ((slot & ~std::uint64_t{0xFFFFFFFF}) == tag) {
      entry& e = entries_[(slot & 0xFFFFFFFFU) - 1];
      if (e.length == word.size() &&
          same_bytes(arena_.data() + e.offset, word.data(), word.size())) {
        ++e.count;
        return;
      }
    }
  }
}

void word_table::insert(std::string_view word, std::uint64_t tag, std::size_t slot) {
  // Offsets and entry numbers are 32-bit: past 4 GiB of distinct words on one page, further
  // new words are not counted.
  if (arena_.size() + word.size() > std::numeric_limits<std::uint32_t>::max() ||
      entries_.size() + 1 >= std::numeric_limits<std::uint32_t>::max()) {
    return;
  }
  entries_.push_back(
      {1, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(word.size())});
  arena_.append(word);
  index_[slot] = tag | entries_.size();
  if (entries_.size() * 2 > index_.size()) {
    grow();
  }
}

void word_table::grow() {
  index_.assign(index_.size() * 2, 0);
  const std::size_t mask = index_.size() - 1;
  for (std::size_t n = 0; n < entries_.size(); ++n) {
    const std::uint64_t hash = hash_bytes(key(entries_[n]));
    std::size_t i = hash & mask;
    while (index_[i] != 0) {
      i = (i + 1) & mask;
    }
    index_[i] = (hash & ~std::uint64_t{0xFFFFFFFF}) | (n + 1);
  }
}

std::vector<word_count> word_table::top(std::size_t k) const {
  std::vector<const entry*> order;
  order.reserve(entries_.size());
  for (const entry& e : entries_) {
    order.push_back(&e);
  }
  const auto before = [this](const entry* a, const entry* b) {
    return a->count != b->count ? a->count > b->count : key(*a) < key(*b);
  };
  const std::size_t n = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    before);
  std::vector<word_count> result;
  result.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    result.push_back({std::string(key(*order[i])), order[i]->count});
  }
  return result;
}

}  // namespace wordcrawl
