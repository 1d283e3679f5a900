#pragma once

// Snowball stems (libstemmer), one stemmer per language, made on first use. A libstemmer
// stemmer is not thread-safe: each page_analyzer (one per worker) owns its word_stemmer.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace wordcrawl {

class word_stemmer {
 public:
  word_stemmer();
  ~word_stemmer();
  word_stemmer(const word_stemmer&) = delete;
  word_stemmer& operator=(const word_stemmer&) = delete;
  word_stemmer(word_stemmer&& other) noexcept;
  word_stemmer& operator=(word_stemmer&& other) noexcept;

  /// True if Snowball has an algorithm for the language (an ISO 639-1 code such as "ru").
  bool supports(std::string_view language);

  /// The stem of a case-folded UTF-8 word in language (which must be supported); valid until
  /// the next call.
  std::string_view stem(std::string_view language, std::string_view word);

 private:
  struct closer {
    void operator()(sb_stemmer* stemmer) const;
  };
  using handle = std::unique_ptr<sb_stemmer, closer>;

  sb_stemmer* find(std::string_view language);

  // A null handle remembers that Snowball has no stemmer for the language.
  std::map<std::string, handle, std::less<>> stemmers_;
};

}  // namespace wordcrawl
