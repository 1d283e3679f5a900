#include "word_table.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

namespace wordcrawl {
namespace {

constexpr std::size_t initial_slots = 4096;

// A multiply-xorshift hash over 8-byte words, for words longer than a short key.
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
  // The last 1-7 bytes, loaded with the ones before them (the word is longer than 8).
  std::uint64_t v = 0;
  if (n > 0) {
    std::memcpy(&v, p + n - 8, 8);
    v >>= 8 * (8 - n);
  }
  h = (h ^ v) * 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 29U;
  return h;
}

}  // namespace

word_table::word_table() : index_(initial_slots), arena_(padding) {}

// The hash add_padded() and add_long() give word, whose storage has `padding` readable bytes
// (as every word in the arena has).
std::uint64_t word_table::hash_padded(std::string_view word) {
  return word.size() > padding ? hash_bytes(word)
                               : hash_short(short_key_of(word.data(), word.size()), word.size());
}

void word_table::clear() {
  // An index sized for one huge page would spread the next page's words over memory that
  // no longer fits the cache: start small again.
  if (index_.size() > initial_slots && entries_.size() * 8 < index_.size()) {
    index_.assign(initial_slots, 0);
  } else {
    std::fill(index_.begin(), index_.end(), 0);
  }
  entries_.clear();
  arena_size_ = 0;
}

void word_table::add(std::string_view word) {
  if (word.size() > padding) {
    add_long(word);
    return;
  }
  std::array<char, 2 * padding> copy{};
  std::memcpy(copy.data(), word.data(), word.size());
  add_padded({copy.data(), word.size()});
}

void word_table::add_long(std::string_view word) {
  count(word, hash_bytes(word), [this, word](const entry& e) { return key(e) == word; });
}

void word_table::insert(std::string_view word, std::uint64_t tag, std::size_t slot) {
  // Offsets and entry numbers are 32-bit: past 4 GiB of distinct words on one page, further
  // new words are not counted.
  if (arena_size_ + word.size() > std::numeric_limits<std::uint32_t>::max() ||
      entries_.size() + 1 >= std::numeric_limits<std::uint32_t>::max()) {
    return;
  }
  if (arena_size_ + word.size() + padding > arena_.size()) {
    arena_.resize(std::max(arena_.size() * 2, arena_size_ + word.size() + padding));
  }
  entries_.push_back(
      {1, static_cast<std::uint32_t>(arena_size_), static_cast<std::uint32_t>(word.size()),
       word.size() <= padding ? short_key_of(word.data(), word.size()) : short_key{}});
  // A short word is copied as a whole short key: every caller has `padding` bytes there,
  // and a fixed-size copy spares a call whose branches follow the length.
  std::memcpy(arena_.data() + arena_size_, word.data(),
              word.size() <= padding ? padding : word.size());
  arena_size_ += word.size();
  index_[slot] = tag | entries_.size();
  if (entries_.size() * 2 > index_.size()) {
    grow();
  }
}

void word_table::grow() {
  index_.assign(index_.size() * 2, 0);
  const std::size_t mask = index_.size() - 1;
  for (std::size_t n = 0; n < entries_.size(); ++n) {
    const std::uint64_t hash = hash_padded(key(entries_[n]));
    std::size_t i = hash & mask;
    while (index_[i] != 0) {
      i = (i + 1) & mask;
    }
    index_[i] = (hash & ~std::uint64_t{0xFFFFFFFF}) | (n + 1);
  }
}

std::vector<word_count> word_table::top(std::size_t k) const {
  const std::size_t n = std::min(k, entries_.size());
  if (n == 0) {
    return {};
  }
  // The n-th largest count first, with a min-heap of n counts: most words (counted once or
  // twice) fail its one comparison, and only words counted at least that often are sorted.
  std::vector<std::uint64_t> largest;
  largest.reserve(n);
  for (const entry& e : entries_) {
    if (largest.size() < n) {
      largest.push_back(e.count);
      std::push_heap(largest.begin(), largest.end(), std::greater<>());
    } else if (e.count > largest.front()) {
      std::pop_heap(largest.begin(), largest.end(), std::greater<>());
      largest.back() = e.count;
      std::push_heap(largest.begin(), largest.end(), std::greater<>());
    }
  }
  const std::uint64_t least = largest.front();
  std::vector<const entry*> order;
  for (const entry& e : entries_) {
    if (e.count >= least) {
      order.push_back(&e);
    }
  }
  const auto before = [this](const entry* a, const entry* b) {
    return a->count != b->count ? a->count > b->count : key(*a) < key(*b);
  };
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
