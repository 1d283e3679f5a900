#include "segment_cache.hpp"

#include <algorithm>
#include <cstring>

namespace wordcrawl {

std::uint64_t segment_cache::hash(std::string_view piece) {
  // Eight bytes a step: this runs on every piece, hit or miss.
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ piece.size();
  std::size_t i = 0;
  for (; i + 8 <= piece.size(); i += 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, piece.data() + i, 8);
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32U;
  }
  for (; i < piece.size(); ++i) {
    h = (h ^ static_cast<unsigned char>(piece[i])) * 0x100000001B3ULL;
  }
  return h ^ (h >> 29U);
}

bool segment_cache::find(std::string_view piece, std::uint64_t hash,
                         const word_handler& on_word) const {
  if (slots_.empty() || piece.empty() || piece.size() > max_piece_bytes) {
    return false;
  }
  const slot& s = slots_[hash & (slot_count - 1)];
  if (s.piece_size != piece.size() ||
      std::memcmp(s.piece.data(), piece.data(), piece.size()) != 0) {
    return false;
  }
  for (std::size_t i = 0; i < s.word_count; ++i) {
    const word_span w = s.words.at(i);
    on_word(piece.substr(w.from, w.to - w.from));
  }
  return true;
}

void segment_cache::store(std::string_view piece, std::uint64_t hash,
                          const std::vector<word_span>& words) {
  if (piece.empty() || piece.size() > max_piece_bytes || words.size() > max_words) {
    return;
  }
  if (slots_.empty()) {
    slots_.resize(slot_count);
  }
  slot& s = slots_[hash & (slot_count - 1)];
  s.piece_size = static_cast<std::uint8_t>(piece.size());
  s.word_count = static_cast<std::uint8_t>(words.size());
  std::copy(piece.begin(), piece.end(), s.piece.begin());
  std::copy(words.begin(), words.end(), s.words.begin());
}

void segment_cache::clear() {
  for (slot& s : slots_) {
    s.piece_size = 0;
  }
}

}  // namespace wordcrawl
