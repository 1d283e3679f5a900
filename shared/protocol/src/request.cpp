#include "wordcrawl/request.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "wordcrawl/ascii.hpp"

namespace wordcrawl {
namespace {

using json = nlohmann::json;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

bool is_language_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 3) {
    return false;
  }
  return std::ranges::all_of(code, [](char c) { return ascii::is_alpha(c); });
}

request_error bad(std::string url, std::string message) {
  return {std::move(url), page_error{error_kind::bad_request, std::move(message)}};
}

// One optional key of a JSON request into options; an error message if its value is bad.
std::optional<std::string> read_option(const std::string& key, const json& value,
                                       word_options_request& options) {
  if (key == "stopwords") {
    const auto* text = value.get_ptr<const json::string_t*>();
    options.stopwords = text != nullptr ? parse_stopwords(*text) : std::nullopt;
    if (!options.stopwords) {
      return R"(bad "stopwords": expected "none", "auto" or language codes such as "en,ru")";
    }
  } else if (key == "stem") {
    if (!value.is_boolean()) {
      return "bad \"stem\": expected true or false";
    }
    options.stem = value.get<bool>();
  } else if (key == "content") {
    const auto* text = value.get_ptr<const json::string_t*>();
    options.content = text != nullptr ? parse_content(*text) : std::nullopt;
    if (!options.content) {
      return R"(bad "content": expected "all" or "main")";
    }
  } else if (key == "k") {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() == 0) {
      return "bad \"k\": expected a positive integer";
    }
    options.k = static_cast<std::size_t>(value.get<std::uint64_t>());
  } else {
    return "unknown key \"" + key + "\"";
  }
  return std::nullopt;
}

std::variant<request, request_error> parse_json_request(std::string_view line) {
  const auto object = json::parse(line.begin(), line.end(), nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return bad(std::string(line), "bad request: not a JSON object");
  }
  const auto url = object.find("url");
  if (url == object.end() || !url->is_string()) {
    return bad(std::string(line), "bad request: \"url\" must be a string");
  }
  request result{url->get<std::string>(), {}, true};
  for (const auto& [key, value] : object.items()) {
    if (key == "url") {
      continue;
    }
    if (auto error = read_option(key, value, result.options)) {
      return bad(result.url, "bad request: " + *error);
    }
  }
  return result;
}

}  // namespace

std::variant<request, request_error> parse_request(std::string_view line) {
  if (!line.empty() && line.front() == '{') {
    return parse_json_request(line);
  }
  return request{std::string(line), {}, false};
}

std::optional<stopword_choice> parse_stopwords(std::string_view text) {
  const auto trimmed = ascii::trim_if(text, is_space);
  if (ascii::equals_nocase(trimmed, "none")) {
    return stopword_choice{};
  }
  if (ascii::equals_nocase(trimmed, "auto")) {
    return stopword_choice{stopword_choice::mode::automatic, {}};
  }
  stopword_choice choice{stopword_choice::mode::listed, {}};
  std::size_t start = 0;
  while (start <= trimmed.size()) {
    const auto comma = std::min(trimmed.find(',', start), trimmed.size());
    const auto code = ascii::trim_if(trimmed.substr(start, comma - start), is_space);
    if (!is_language_code(code)) {
      return std::nullopt;
    }
    choice.languages.push_back(ascii::to_lower(code));
    start = comma + 1;
  }
  return choice;
}

std::string to_string(const stopword_choice& choice) {
  switch (choice.how) {
    case stopword_choice::mode::none:
      return "none";
    case stopword_choice::mode::automatic:
      return "auto";
    case stopword_choice::mode::listed:
      break;
  }
  std::string out;
  for (const auto& code : choice.languages) {
    out += (out.empty() ? "" : ",") + code;
  }
  return out;
}

std::optional<content_choice> parse_content(std::string_view text) {
  if (text == "all") {
    return content_choice::all;
  }
  if (text == "main") {
    return content_choice::main;
  }
  return std::nullopt;
}

std::string_view to_string(content_choice choice) {
  return choice == content_choice::main ? "main" : "all";
}

std::string encode_request(std::string_view url, const word_options_request& options) {
  if (options.empty()) {
    return std::string(url) + "\n";
  }
  json object = json::object();
  object["url"] = std::string(url);
  if (options.stopwords) {
    object["stopwords"] = to_string(*options.stopwords);
  }
  if (options.stem) {
    object["stem"] = *options.stem;
  }
  if (options.content) {
    object["content"] = std::string(to_string(*options.content));
  }
  if (options.k) {
    object["k"] = *options.k;
  }
  // Invalid UTF-8 in the URL is replaced rather than thrown: the server answers it anyway.
  return object.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace wordcrawl
