#pragma once

// What travels through Redis: a URL to work (one entry of the work stream) and its answer
// (one entry of the origin node's reply stream).

#include <optional>
#include <string>
#include <vector>

#include "cluster/redis_link.hpp"
#include "fetch/url_processor.hpp"

namespace wordcrawl {

/// One URL in the shared work stream.
struct work_entry {
  std::string id{};       // the stream entry id (set by Redis)
  std::string request{};  // "<origin node>:<sequence>": the key answers are deduplicated by
  std::string origin{};   // the node whose client asked, which sends the answer
  std::string url{};
  std::string host{};  // for the cluster-wide per-host limit ("" : none applies)
  answer_settings settings{};
};

/// The entry's fields as XADD arguments (field, value, ...).
std::vector<std::string> entry_fields(const work_entry& entry);
/// The entry from an XREADGROUP/XCLAIM item [id, [field, value, ...]]; nullopt if malformed.
std::optional<work_entry> parse_entry(const redis_value& item);

/// answer_settings as a short JSON object and back (nullopt if it cannot be read).
std::string encode_settings(const answer_settings& settings);
std::optional<answer_settings> decode_settings(const std::string& text);

}  // namespace wordcrawl
