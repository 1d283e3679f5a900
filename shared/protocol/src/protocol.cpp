#include "wordcrawl/protocol.hpp"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "wordcrawl/ascii.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

using json = nlohmann::ordered_json;

// What the marker of a cut word list adds to a line: ,"truncated":true
constexpr std::size_t truncated_marker_bytes = 17;
// An error message is ours and short; this only guards the line limit.
constexpr std::size_t max_message_bytes = 1024;

// A URL line may hold invalid UTF-8 (it is then answered with an error): replace such bytes
// with U+FFFD instead of letting the encoder throw.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string dump_line(const json& object) {
  auto line = dump(object);
  line.push_back('\n');
  return line;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// The fields after "words", as the tail of the line's object: ,"status":200,...}
std::string details_tail(std::string_view url, const page_result& result, bool with_final_url,
                         bool truncated) {
  const auto& details = result.details;
  json object = {{"status", details.status}};
  if (with_final_url && !details.final_url.empty() && details.final_url != url) {
    object["final_url"] = details.final_url;
  }
  object["bytes"] = details.bytes;
  object["elapsed_ms"] = details.elapsed_ms;
  if (!details.charset.empty()) {
    object["charset"] = details.charset;
  }
  const auto& stats = result.stats;
  object["total_words"] = stats.total_words;
  object["distinct_words"] = stats.distinct_words;
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"lang", &stats.lang},
                                    {"declared_lang", &stats.declared_lang},
                                    {"stopwords", &stats.stopwords},
                                    {"stemmed_as", &stats.stemmed_as},
                                    {"not_stemmed", &stats.not_stemmed}}) {
    if (!value->empty()) {
      object[name] = *value;
    }
  }
  if (truncated) {
    object["truncated"] = true;
  }
  auto tail = dump(object);
  tail.front() = ',';
  return tail;
}

// Written by hand rather than through ordered_json, whose keyed insert is a linear search: a
// list of 100,000 words would take quadratic time.
std::string encode_words(std::string_view url, const page_result& result) {
  std::string head = R"({"url":)" + dump(json(url)) + R"(,"words":{)";
  bool with_final_url = true;
  std::string tail = details_tail(url, result, with_final_url, result.truncated);
  if (head.size() + 1 + tail.size() + truncated_marker_bytes > max_reply_bytes) {
    with_final_url = false;  // a redirect target may be very long
    tail = details_tail(url, result, with_final_url, result.truncated);
  }
  const auto fixed = head.size() + 1 + tail.size();
  std::string entries;
  std::vector<std::size_t> ends;  // where each entry ends in entries, to take some back
  bool cut = false;
  for (const auto& entry : result.words) {
    const auto before = entries.size();
    if (!entries.empty()) {
      entries.push_back(',');
    }
    entries += dump(json(entry.word));
    entries.push_back(':');
    entries += std::to_string(entry.count);
    if (fixed + entries.size() > max_reply_bytes) {
      entries.resize(before);
      cut = true;
      break;
    }
    ends.push_back(entries.size());
  }
  if (cut && !result.truncated) {
    tail = details_tail(url, result, with_final_url, true);
    while (!ends.empty() && head.size() + ends.back() + 1 + tail.size() > max_reply_bytes) {
      ends.pop_back();
      entries.resize(ends.empty() ? 0 : ends.back());
    }
  }
  head += entries;
  head.push_back('}');
  head += tail;
  head.push_back('\n');
  return head;
}

std::string encode_error(std::string_view url, const page_error& error) {
  const std::string_view message = error.message;
  return dump_line(json{{"url", url},
                        {"error", message.substr(0, max_message_bytes)},
                        {"kind", to_string(error.kind)}});
}

// Reads a reply line in one pass, keeping the order of "words" without ordered_json's
// quadratic inserts. Unknown fields are skipped, so newer servers stay readable.
class reply_reader {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  std::optional<reply> take() {
    if (!has_url_ || (!error_ && !has_words_)) {
      return std::nullopt;
    }
    if (error_) {
      answer_.result = page_result::failure(
          error_kind_from_string(kind_).value_or(error_kind::internal), std::move(*error_));
    }
    return std::move(answer_);
  }

  bool null() { return scalar_is_allowed(); }
  bool boolean(bool value) {
    if (at_field("truncated")) {
      answer_.result.truncated = value;
    }
    return scalar_is_allowed();
  }
  bool number_integer(number_integer_t value) {
    if (at_field("status")) {
      answer_.result.details.status = value;
    }
    return scalar_is_allowed();
  }
  bool number_unsigned(number_unsigned_t value) {
    if (in_words()) {
      answer_.result.words.push_back({std::move(key_), value});
      return true;
    }
    if (at_field("status")) {
      answer_.result.details.status = static_cast<std::int64_t>(value);
    } else if (at_field("bytes")) {
      answer_.result.details.bytes = value;
    } else if (at_field("elapsed_ms")) {
      answer_.result.details.elapsed_ms = value;
    } else if (at_field("total_words")) {
      answer_.result.stats.total_words = value;
    } else if (at_field("distinct_words")) {
      answer_.result.stats.distinct_words = value;
    }
    return scalar_is_allowed();
  }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) {
    return scalar_is_allowed();
  }
  bool string(string_t& value) {
    if (at_field("url")) {
      answer_.url = std::move(value);
      has_url_ = true;
      return true;
    }
    if (at_field("error")) {
      error_ = std::move(value);
      return true;
    }
    if (at_field("kind")) {
      kind_ = std::move(value);
    } else if (at_field("final_url")) {
      answer_.result.details.final_url = std::move(value);
    } else if (at_field("charset")) {
      answer_.result.details.charset = std::move(value);
    } else if (at_field("lang")) {
      answer_.result.stats.lang = std::move(value);
    } else if (at_field("declared_lang")) {
      answer_.result.stats.declared_lang = std::move(value);
    } else if (at_field("stopwords")) {
      answer_.result.stats.stopwords = std::move(value);
    } else if (at_field("stemmed_as")) {
      answer_.result.stats.stemmed_as = std::move(value);
    } else if (at_field("not_stemmed")) {
      answer_.result.stats.not_stemmed = std::move(value);
    }
    return scalar_is_allowed();
  }
  static bool binary(binary_t& /*value*/) { return false; }
  bool start_object(std::size_t /*elements*/) {
    if (depth_ == 1 && !at_field("words") && typed_field()) {
      return false;
    }
    if (in_words()) {
      return false;
    }
    words_open_ = depth_ == 1 && at_field("words");
    has_words_ = has_words_ || words_open_;
    ++depth_;
    return true;
  }
  bool key(string_t& name) {
    key_ = std::move(name);
    return true;
  }
  bool end_object() {
    --depth_;
    if (depth_ == 1) {
      words_open_ = false;
    }
    return true;
  }
  bool start_array(std::size_t /*elements*/) {
    if (depth_ == 0 || in_words() || (depth_ == 1 && typed_field())) {
      return false;
    }
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }
  static bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                          const nlohmann::detail::exception& /*error*/) {
    return false;
  }

 private:
  bool in_words() const { return words_open_ && depth_ == 2; }
  bool at_field(std::string_view name) const { return depth_ == 1 && key_ == name; }
  // Fields whose type is fixed: any other type makes the line no reply.
  bool typed_field() const { return at_field("url") || at_field("error") || at_field("words"); }
  bool scalar_is_allowed() const {
    return depth_ > 0 && !in_words() && !(depth_ == 1 && typed_field());
  }

  reply answer_;
  std::string key_;
  std::optional<std::string> error_;
  std::string kind_;
  int depth_ = 0;
  bool words_open_ = false;
  bool has_words_ = false;
  bool has_url_ = false;
};

}  // namespace

std::optional<std::string_view> url_from_line(std::string_view line) {
  line = ascii::trim_if(line, is_blank);
  if (line.empty()) {
    return std::nullopt;
  }
  return line;
}

std::string encode_reply(std::string_view url, const page_result& result) {
  return result.error ? encode_error(url, *result.error) : encode_words(url, result);
}

std::optional<reply> parse_reply(std::string_view line) {
  reply_reader reader;
  if (!json::sax_parse(line.begin(), line.end(), &reader)) {
    return std::nullopt;
  }
  return reader.take();
}

std::string format_words(const std::vector<word_count>& words) {
  std::string out = "{";
  for (const auto& entry : words) {
    if (out.size() > 1) {
      out += ", ";
    }
    out += dump(json(entry.word));
    out += ": ";
    out += std::to_string(entry.count);
  }
  out += '}';
  return out;
}

std::string format_answer(const reply& answer) {
  // Messages may quote what a web server sent (a Content-Type, a redirect target).
  const auto url = utf8::printable(answer.url);
  if (answer.result.error) {
    return url + ": error: " + utf8::printable(answer.result.error->message);
  }
  auto line = url + ": " + format_words(answer.result.words);
  // Only answers to word-statistics requests carry a language: plain answers print as always.
  const auto& stats = answer.result.stats;
  if (!stats.lang.empty()) {
    line +=
        " (" + utf8::printable(stats.lang) + ", " + std::to_string(stats.total_words) + " words";
    if (!stats.not_stemmed.empty()) {
      line += "; not stemmed: " + utf8::printable(stats.not_stemmed);
    }
    line += ")";
  }
  return line;
}

std::string encode_busy() {
  return dump_line(json{{"error", busy_message}, {"kind", to_string(error_kind::busy)}});
}

bool is_busy_answer(std::string_view line) {
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  if (!object.is_object() || object.contains("url")) {
    return false;
  }
  const auto kind = object.find("kind");
  const auto error = object.find("error");
  // Servers before error kinds sent the message alone.
  return (kind != object.end() && kind->is_string() && *kind == to_string(error_kind::busy)) ||
         (kind == object.end() && error != object.end() && error->is_string() &&
          error->get<std::string>() == busy_message);
}

std::string encode_connection_error(error_kind kind, std::string_view message) {
  return dump_line(json{{"error", message}, {"kind", to_string(kind)}});
}

std::optional<page_error> parse_connection_error(std::string_view line) {
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  if (!object.is_object() || object.contains("url")) {
    return std::nullopt;
  }
  const auto error = object.find("error");
  if (error == object.end() || !error->is_string()) {
    return std::nullopt;
  }
  const auto kind = object.find("kind");
  std::optional<error_kind> known;
  if (kind != object.end() && kind->is_string()) {
    known = error_kind_from_string(kind->get<std::string>());
  } else if (error->get<std::string>() == busy_message) {
    known = error_kind::busy;  // servers before error kinds sent the message alone
  }
  return page_error{known.value_or(error_kind::internal), error->get<std::string>()};
}

std::string encode_auth(std::string_view token) {
  return dump_line(json{{"auth", token}});
}

std::optional<std::string> parse_auth(std::string_view line) {
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  if (!object.is_object() || object.size() != 1) {
    return std::nullopt;
  }
  const auto token = object.find("auth");
  if (token == object.end() || !token->is_string()) {
    return std::nullopt;
  }
  return token->get<std::string>();
}

std::vector<std::string> token_lines(std::string_view text) {
  std::vector<std::string> tokens;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    const auto line = ascii::trim_if(text.substr(0, end), is_blank);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!line.empty() && line.front() != '#') {
      tokens.emplace_back(line);
    }
  }
  return tokens;
}

bool is_auth_line(std::string_view line) {
  // A URL never starts with "{": only a JSON line is parsed.
  line = ascii::trim_if(line, is_blank);
  if (line.empty() || line.front() != '{') {
    return false;
  }
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  return object.is_object() && object.contains("auth");
}

}  // namespace wordcrawl
