#include "cluster/work_entry.hpp"

#include <exception>

#include <nlohmann/json.hpp>

namespace wordcrawl {
namespace {

using json = nlohmann::json;

const char* stop_name(word_options::stop_mode mode) {
  switch (mode) {
    case word_options::stop_mode::automatic:
      return "auto";
    case word_options::stop_mode::listed:
      return "listed";
    case word_options::stop_mode::none:
      break;
  }
  return "none";
}

}  // namespace

std::string encode_settings(const answer_settings& settings) {
  const auto& words = settings.words;
  return json{{"k", settings.k},
              {"stop", stop_name(words.stopwords)},
              {"langs", words.stop_languages},
              {"stem", words.stem},
              {"main", words.content == content_scope::main},
              {"detect", words.detect_language}}
      .dump();
}

std::optional<answer_settings> decode_settings(const std::string& text) {
  try {
    const auto object = json::parse(text);
    answer_settings settings;
    settings.k = object.at("k").get<std::size_t>();
    const auto stop = object.at("stop").get<std::string>();
    settings.words.stopwords = stop == "auto"     ? word_options::stop_mode::automatic
                               : stop == "listed" ? word_options::stop_mode::listed
                                                  : word_options::stop_mode::none;
    settings.words.stop_languages = object.at("langs").get<std::vector<std::string>>();
    settings.words.stem = object.at("stem").get<bool>();
    settings.words.content =
        object.at("main").get<bool>() ? content_scope::main : content_scope::all;
    settings.words.detect_language = object.at("detect").get<bool>();
    return settings;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> entry_fields(const work_entry& entry) {
  return {"req",     entry.request, "origin",   entry.origin, "url",
          entry.url, "host",        entry.host, "opts",       encode_settings(entry.settings)};
}

std::optional<work_entry> parse_entry(const redis_value& item) {
  if (item.items.size() != 2) {
    return std::nullopt;
  }
  const auto& fields = item.items[1];
  auto request = stream_field(fields, "req");
  auto origin = stream_field(fields, "origin");
  auto url = stream_field(fields, "url");
  auto host = stream_field(fields, "host");
  const auto opts = stream_field(fields, "opts");
  auto settings = opts ? decode_settings(*opts) : std::nullopt;
  if (!request || !origin || !url || !host || !settings) {
    return std::nullopt;
  }
  return work_entry{item.items[0].text, std::move(*request), std::move(*origin),
                    std::move(*url),    std::move(*host),    std::move(*settings)};
}

}  // namespace wordcrawl
