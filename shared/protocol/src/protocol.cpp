#include "wordcrawl/protocol.hpp"

#include <nlohmann/json.hpp>

namespace wordcrawl {
namespace {

using json = nlohmann::ordered_json;

// A URL line may hold invalid UTF-8 (it is then answered with an error): replace such bytes
// with U+FFFD instead of letting the encoder throw.
std::string dump_line(const json& object) {
  auto line = object.dump(-1, ' ', false, json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

}  // namespace

std::optional<std::string_view> url_from_line(std::string_view line) {
  while (!line.empty() && is_blank(line.front())) {
    line.remove_prefix(1);
  }
  while (!line.empty() && is_blank(line.back())) {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return std::nullopt;
  }
  return line;
}

std::string encode_words_reply(std::string_view url, const std::vector<word_count>& words,
                               const fetch_details& details) {
  json counts = json::object();
  for (const auto& entry : words) {
    counts[entry.word] = entry.count;
  }
  json object = {{"url", url}, {"words", std::move(counts)}, {"status", details.status}};
  if (!details.final_url.empty() && details.final_url != url) {
    object["final_url"] = details.final_url;
  }
  object["bytes"] = details.bytes;
  object["elapsed_ms"] = details.elapsed_ms;
  if (!details.charset.empty()) {
    object["charset"] = details.charset;
  }
  return dump_line(object);
}

std::string encode_error_reply(std::string_view url, std::string_view message) {
  return dump_line(json{{"url", url}, {"error", message}});
}

std::optional<reply> parse_reply(std::string_view line) {
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  if (!object.is_object() || !object.contains("url") || !object["url"].is_string()) {
    return std::nullopt;
  }
  reply result;
  result.url = object["url"].get<std::string>();
  if (const auto error = object.find("error"); error != object.end()) {
    if (!error->is_string()) {
      return std::nullopt;
    }
    result.error = error->get<std::string>();
    return result;
  }
  const auto words = object.find("words");
  if (words == object.end() || !words->is_object()) {
    return std::nullopt;
  }
  for (const auto& [word, count] : words->items()) {
    if (!count.is_number_unsigned()) {
      return std::nullopt;
    }
    result.words.push_back({word, count.get<std::uint64_t>()});
  }
  return result;
}

std::string format_words(const std::vector<word_count>& words) {
  std::string out = "{";
  for (const auto& entry : words) {
    if (out.size() > 1) {
      out += ", ";
    }
    out += json(entry.word).dump(-1, ' ', false, json::error_handler_t::replace);
    out += ": ";
    out += std::to_string(entry.count);
  }
  out += '}';
  return out;
}

std::string format_answer(const reply& answer) {
  if (answer.error) {
    return answer.url + ": error: " + *answer.error;
  }
  return answer.url + ": " + format_words(answer.words);
}

}  // namespace wordcrawl
