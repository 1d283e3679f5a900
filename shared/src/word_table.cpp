#include "word_table.hpp"

#include <algorithm>
#include <cstring>

namespace wordcrawl {
namespace {

constexpr std::size_t initial_slots = 1024;

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
  std::uint64_t v = 0;
  std::memcpy(&v, p, n);
  h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 29U;
  return h;
}

}  // namespace

word_table::word_table() : slots_(initial_slots) {}

void word_table::clear() {
  arena_.clear();
  size_ = 0;
  if (++generation_ == 0) {
    // After 2^32 pages the stamps wrap: wipe them once.
    std::fill(slots_.begin(), slots_.end(), slot{});
    generation_ = 1;
  }
}

void word_table::add(std::string_view word) {
  const std::uint64_t hash = hash_bytes(word);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    slot& entry = slots_[i];
    if (entry.generation != generation_) {
      entry = slot{hash, 1, arena_.size(), static_cast<std::uint32_t>(word.size()), generation_};
      arena_.append(word);
      if (++size_ * 2 > slots_.size()) {
        grow();
      }
      return;
    }
    if (entry.hash == hash && key(entry) == word) {
      ++entry.count;
      return;
    }
  }
}

void word_table::grow() {
  std::vector<slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const slot& entry : old) {
    if (entry.generation != generation_) {
      continue;
    }
    std::size_t i = entry.hash & mask;
    while (slots_[i].generation == generation_) {
      i = (i + 1) & mask;
    }
    slots_[i] = entry;
  }
}

std::vector<word_count> word_table::top(std::size_t k) const {
  std::vector<const slot*> used;
  used.reserve(size_);
  for (const slot& entry : slots_) {
    if (entry.generation == generation_) {
      used.push_back(&entry);
    }
  }
  const auto before = [this](const slot* a, const slot* b) {
    return a->count != b->count ? a->count > b->count : key(*a) < key(*b);
  };
  const std::size_t n = std::min(k, used.size());
  std::partial_sort(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(n), used.end(),
                    before);
  std::vector<word_count> result;
  result.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    result.push_back({std::string(key(*used[i])), used[i]->count});
  }
  return result;
}

}  // namespace wordcrawl
