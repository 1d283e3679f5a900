#pragma once

// Where extracted text goes: the HTML extractor writes into it, the word counter reads from it.

#include <string_view>

namespace wordcrawl {

class text_sink {
 public:
  virtual ~text_sink() = default;

  /// Appends UTF-8 text. A call may end inside a word (or a code point): the next call
  /// continues it unless boundary() comes between.
  virtual void text(std::string_view utf8) = 0;

  /// Ends the current word: a tag, comment or other markup stood here.
  virtual void boundary() = 0;

 protected:
  text_sink() = default;
  text_sink(const text_sink&) = default;
  text_sink(text_sink&&) = default;
  text_sink& operator=(const text_sink&) = default;
  text_sink& operator=(text_sink&&) = default;
};

}  // namespace wordcrawl
