#include "word_stemmer.hpp"

#include <libstemmer.h>
#include <stdexcept>

namespace wordcrawl {
namespace {

// Snowball names a few languages by another code than ISO 639-1 does.
std::string snowball_code(std::string_view language) {
  if (language == "nb" || language == "nn") {
    return "no";
  }
  return std::string(language);
}

}  // namespace

void word_stemmer::closer::operator()(sb_stemmer* stemmer) const {
  sb_stemmer_delete(stemmer);
}

word_stemmer::word_stemmer() = default;
word_stemmer::~word_stemmer() = default;
word_stemmer::word_stemmer(word_stemmer&&) noexcept = default;
word_stemmer& word_stemmer::operator=(word_stemmer&&) noexcept = default;

sb_stemmer* word_stemmer::find(std::string_view language) {
  const auto found = stemmers_.find(language);
  if (found != stemmers_.end()) {
    return found->second.get();
  }
  const auto code = snowball_code(language);
  // "porter" is Snowball's older English algorithm; only the language codes are asked for.
  handle stemmer(language.empty() ? nullptr : sb_stemmer_new(code.c_str(), "UTF_8"));
  auto* raw = stemmer.get();
  stemmers_.emplace(std::string(language), std::move(stemmer));
  return raw;
}

bool word_stemmer::supports(std::string_view language) {
  return find(language) != nullptr;
}

std::string_view word_stemmer::stem(std::string_view language, std::string_view word) {
  auto* stemmer = find(language);
  if (stemmer == nullptr) {
    throw std::invalid_argument("word_stemmer: no stemmer for " + std::string(language));
  }
  // libstemmer reads bytes; a word is at most word_counter::max_run_bytes long.
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libstemmer's bytes are unsigned
  const auto* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                    static_cast<int>(word.size()));
  if (out == nullptr) {  // out of memory inside libstemmer: the word stands for itself
    return word;
  }
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the same bytes, as chars
  return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer))};
}

}  // namespace wordcrawl
