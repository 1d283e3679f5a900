// The Prometheus text format (0.0.4) as the status tests read it: every line is checked.

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string_view>

#include "status_support.hpp"

namespace wordcrawl::testing {
namespace {

bool name_char(char c, bool first) {
  const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
  return first ? letter : letter || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::size_t name_length(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && name_char(text[i], i == 0)) {
    ++i;
  }
  return i;
}

std::optional<double> parse_value(const std::string& text) {
  if (text == "+Inf") {
    return HUGE_VAL;
  }
  if (text == "-Inf") {
    return -HUGE_VAL;
  }
  if (text == "NaN") {
    return std::nan("");
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// name="value",... up to the closing brace; i is left after it.
bool parse_labels(std::string_view line, std::size_t& i, metric_sample& sample) {
  ++i;  // '{'
  while (i < line.size() && line[i] != '}') {
    const auto length = name_length(line.substr(i));
    if (length == 0 || line.substr(i + length, 2) != "=\"") {
      return false;
    }
    std::string name(line.substr(i, length));
    i += length + 2;
    std::string value;
    while (i < line.size() && line[i] != '"') {
      if (line[i] == '\\' && i + 1 < line.size()) {
        const char escaped = line[++i];
        if (escaped != '\\' && escaped != '"' && escaped != 'n') {
          return false;
        }
        value += escaped == 'n' ? '\n' : escaped;
      } else {
        value += line[i];
      }
      ++i;
    }
    if (i >= line.size()) {
      return false;
    }
    ++i;  // closing quote
    sample.labels.emplace_back(std::move(name), std::move(value));
    if (i < line.size() && line[i] == ',') {
      ++i;
    }
  }
  if (i >= line.size()) {
    return false;
  }
  ++i;  // '}'
  return true;
}

std::optional<metric_sample> parse_sample(std::string_view line) {
  metric_sample sample;
  std::size_t i = name_length(line);
  if (i == 0) {
    return std::nullopt;
  }
  sample.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{' && !parse_labels(line, i, sample)) {
    return std::nullopt;
  }
  if (i >= line.size() || line[i] != ' ') {
    return std::nullopt;
  }
  auto rest = std::string(line.substr(i + 1));
  if (const auto space = rest.find(' '); space != std::string::npos) {
    rest = rest.substr(0, space);  // a timestamp may follow
  }
  const auto value = parse_value(rest);
  if (!value) {
    return std::nullopt;
  }
  sample.value = *value;
  return sample;
}

bool belongs(const std::string& sample, const std::string& family, const std::string& type) {
  if (type != "histogram") {
    return sample == family;
  }
  return sample == family + "_bucket" || sample == family + "_sum" || sample == family + "_count";
}

// # HELP and # TYPE lines; the family and its type are remembered.
bool parse_comment(const std::string& line, metric_scrape& scrape, std::string& family,
                   std::string& error) {
  std::istringstream words(line);
  std::string hash;
  std::string keyword;
  std::string name;
  std::string type;
  words >> hash >> keyword >> name >> type;
  if (keyword == "HELP") {
    return !name.empty() || (error = "HELP without a name: " + line, false);
  }
  if (keyword != "TYPE") {
    return true;  // any other comment
  }
  static const std::set<std::string> types{"counter", "gauge", "histogram", "summary", "untyped"};
  if (!types.contains(type) || scrape.types.contains(name)) {
    error = "bad or repeated TYPE: " + line;
    return false;
  }
  if (type == "counter" && !name.ends_with("_total")) {
    error = "counter not ending in _total: " + name;
    return false;
  }
  scrape.types[name] = type;
  family = name;
  return true;
}

// Buckets cumulative, le ascending, the last +Inf and equal to _count.
bool check_histogram(const metric_scrape& scrape, const std::string& family, std::string& error) {
  double last_le = -HUGE_VAL;
  double last_count = 0;
  bool inf_seen = false;
  for (const auto& sample : scrape.samples) {
    if (sample.name != family + "_bucket") {
      continue;
    }
    const auto le = sample.labels.empty() ? std::nullopt : parse_value(sample.labels.back().second);
    if (!le || *le <= last_le || sample.value < last_count || inf_seen) {
      error = "histogram " + family + ": bucket out of order: " + sample.series();
      return false;
    }
    last_le = *le;
    last_count = sample.value;
    inf_seen = std::isinf(*le);
  }
  const auto count = scrape.value(family + "_count");
  if (!inf_seen || !count || *count != last_count || !scrape.value(family + "_sum")) {
    error = "histogram " + family + ": no +Inf bucket equal to _count, or no _sum";
    return false;
  }
  return true;
}

}  // namespace

std::optional<metric_scrape> parse_metrics(const std::string& text, std::string& error) {
  metric_scrape scrape;
  std::string family;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      continue;
    }
    if (line[0] == '#') {
      if (!parse_comment(line, scrape, family, error)) {
        return std::nullopt;
      }
      continue;
    }
    auto sample = parse_sample(line);
    if (!sample || family.empty() || !belongs(sample->name, family, scrape.types[family])) {
      error = "bad sample line (or outside its family " + family + "): ";
      error += line;
      return std::nullopt;
    }
    scrape.samples.push_back(std::move(*sample));
  }
  for (const auto& [name, type] : scrape.types) {
    if (type == "histogram" && !check_histogram(scrape, name, error)) {
      return std::nullopt;
    }
  }
  return scrape;
}

}  // namespace wordcrawl::testing
