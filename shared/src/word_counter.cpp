#include "wordcrawl/word_counter.hpp"

#include <array>

#include "char_class.hpp"
#include "spaceless_segmenter.hpp"
#include "utf8.hpp"
#include "word_table.hpp"

namespace wordcrawl {
namespace {

namespace cc = char_class;

struct ascii_tables {
  std::array<std::uint8_t, 128> classes{};
  std::array<char, 128> folds{};
};

constexpr ascii_tables make_ascii_tables() {
  ascii_tables t;
  for (unsigned c = 0; c < 128; ++c) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    t.classes.at(c) = static_cast<std::uint8_t>((upper || lower || digit ? unsigned{cc::run} : 0U) |
                                                (upper || lower ? unsigned{cc::letter} : 0U) |
                                                (c == '\'' ? unsigned{cc::apostrophe} : 0U));
    t.folds.at(c) = static_cast<char>(upper ? c - 'A' + 'a' : c);
  }
  return t;
}

constexpr ascii_tables ascii = make_ascii_tables();

bool is_continuation(unsigned char b) {
  return (b & 0xC0U) == 0x80U;
}

// Apostrophes and joiners only join: a piece of a cut run does not start or end with one.
std::string_view trim_joiners(std::string_view piece) {
  const auto joins = [](std::string_view s, bool front) {
    const std::string_view apostrophe = "'";
    const std::string_view zwnj = "\xE2\x80\x8C";
    const std::string_view zwj = "\xE2\x80\x8D";
    for (const auto j : {apostrophe, zwnj, zwj}) {
      if (front ? s.starts_with(j) : s.ends_with(j)) {
        return j.size();
      }
    }
    return std::size_t{0};
  };
  for (std::size_t n = joins(piece, true); n > 0; n = joins(piece, true)) {
    piece.remove_prefix(n);
  }
  for (std::size_t n = joins(piece, false); n > 0; n = joins(piece, false)) {
    piece.remove_suffix(n);
  }
  return piece;
}

}  // namespace

word_counter::word_counter()
    : table_(std::make_unique<word_table>()), segmenter_(std::make_unique<spaceless_segmenter>()) {}

word_counter::~word_counter() = default;
word_counter::word_counter(word_counter&&) noexcept = default;
word_counter& word_counter::operator=(word_counter&&) noexcept = default;

void word_counter::reset() {
  table_->clear();
  run_.clear();
  run_kept_ = 0;
  run_has_letter_ = false;
  run_has_spaceless_ = false;
  apostrophe_pending_ = false;
  partial_length_ = 0;
}

void word_counter::text(std::string_view utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  // Finish a code point the previous call cut, byte by byte so that any cut gives the same.
  while (partial_length_ > 0 && p < end) {
    if (!is_continuation(*p)) {
      partial_length_ = 0;
      code_point(utf8::replacement);
      break;
    }
    partial_.at(partial_length_++) = *p++;
    if (partial_length_ == utf8::sequence_length(partial_[0])) {
      partial_length_ = 0;
      code_point(utf8::decode(partial_.data(), utf8::sequence_length(partial_[0])));
    }
  }
  while (p < end) {
    const unsigned char b = *p;
    if (b >= 0x80) {
      p = multibyte(p, end);
      continue;
    }
    const std::uint8_t cls = ascii.classes.at(b);
    ++p;
    if ((cls & cc::run) != 0) {
      append_ascii(ascii.folds.at(b), (cls & cc::letter) != 0);
    } else if (cls != 0) {
      apostrophe();
    } else {
      end_run();
    }
  }
}

const unsigned char* word_counter::multibyte(const unsigned char* p, const unsigned char* end) {
  const std::size_t length = utf8::sequence_length(*p);
  std::size_t have = 1;
  while (have < length && p + have < end && is_continuation(p[have])) {
    ++have;
  }
  if (have == length) {
    code_point(utf8::decode(p, length));
  } else if (p + have == end) {
    for (std::size_t i = 0; i < have; ++i) {
      partial_.at(i) = p[i];
    }
    partial_length_ = have;
  } else {
    code_point(utf8::replacement);
  }
  return p + have;
}

void word_counter::code_point(char32_t cp) {
  const std::uint8_t cls = cc::of(cp);
  if ((cls & cc::run) != 0) {
    const auto folded = utf8::encode(cc::fold(cp));
    append_run(folded.view(), (cls & cc::letter) != 0);
    run_has_spaceless_ = run_has_spaceless_ || (cls & cc::spaceless) != 0;
  } else if ((cls & cc::joiner) != 0) {
    // Kept only inside a run; trailing joiners are dropped when the run ends.
    if (run_.empty() || apostrophe_pending_) {
      end_run();
    } else {
      run_.append(utf8::encode(cp).view());
    }
  } else if ((cls & cc::apostrophe) != 0) {
    apostrophe();
  } else {
    end_run();
  }
}

void word_counter::apostrophe() {
  if (!run_.empty() && run_kept_ == run_.size() && !apostrophe_pending_) {
    apostrophe_pending_ = true;
  } else {
    end_run();
  }
}

void word_counter::append_ascii(char folded, bool is_letter) {
  if (apostrophe_pending_ || run_.size() >= max_run_bytes) {
    append_run({&folded, 1}, is_letter);
    return;
  }
  run_.push_back(folded);
  run_kept_ = run_.size();
  run_has_letter_ = run_has_letter_ || is_letter;
}

void word_counter::append_run(std::string_view folded, bool is_letter) {
  if (apostrophe_pending_) {
    apostrophe_pending_ = false;
    if (run_.size() + 1 + folded.size() > max_run_bytes) {
      end_run();
    } else {
      run_.push_back('\'');
    }
  }
  if (run_.size() + folded.size() > max_run_bytes) {
    end_run();
  }
  run_.append(folded);
  run_kept_ = run_.size();
  run_has_letter_ = run_has_letter_ || is_letter;
}

void word_counter::boundary() {
  if (partial_length_ > 0) {
    partial_length_ = 0;
    code_point(utf8::replacement);
  }
  end_run();
}

void word_counter::end_run() {
  apostrophe_pending_ = false;
  if (run_kept_ > 0) {
    run_.resize(run_kept_);
    if (run_has_spaceless_) {
      count_spaceless_run();
    } else if (run_has_letter_) {
      table_->add(run_);
    }
  }
  run_.clear();
  run_kept_ = 0;
  run_has_letter_ = false;
  run_has_spaceless_ = false;
}

// Cuts the run into pieces of spaceless scripts (segmented by ICU) and the rest (a piece
// with a letter is a word). Joiners stay with the piece they follow.
void word_counter::count_spaceless_run() {
  const std::string_view run = run_;
  const auto flush =
      [this, run](std::size_t from, std::size_t to, bool spaceless, bool has_letter) {
    const std::string_view piece = trim_joiners(run.substr(from, to - from));
    if (piece.empty()) {
      return;
    }
    if (spaceless) {
      segmenter_->segment(piece, [this](std::string_view word) { table_->add(word); });
    } else if (has_letter) {
      table_->add(piece);
    }
  };
  std::size_t start = 0;
  bool spaceless = false;
  bool has_letter = false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(run.data());
  for (std::size_t i = 0; i < run.size();) {
    const std::size_t length = utf8::sequence_length(bytes[i]);
    const std::uint8_t cls = cc::of(utf8::decode(bytes + i, length));
    const bool is_spaceless = (cls & cc::spaceless) != 0;
    if ((cls & cc::joiner) == 0 && is_spaceless != spaceless && i > start) {
      flush(start, i, spaceless, has_letter);
      start = i;
      has_letter = false;
    }
    if ((cls & cc::joiner) == 0) {
      spaceless = is_spaceless;
    }
    has_letter = has_letter || (cls & cc::letter) != 0;
    i += length;
  }
  flush(start, run.size(), spaceless, has_letter);
}

std::vector<word_count> word_counter::top(std::size_t k) const {
  return table_->top(k);
}

std::size_t word_counter::distinct_words() const {
  return table_->size();
}

}  // namespace wordcrawl
