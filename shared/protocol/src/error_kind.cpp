#include "wordcrawl/error_kind.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <utility>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {
namespace {

constexpr std::array<std::pair<error_kind, std::string_view>, 20> names{{
    {error_kind::bad_request, "bad_request"},
    {error_kind::unsupported_scheme, "unsupported_scheme"},
    {error_kind::blocked_address, "blocked_address"},
    {error_kind::dns, "dns"},
    {error_kind::connect, "connect"},
    {error_kind::tls, "tls"},
    {error_kind::timeout, "timeout"},
    {error_kind::transfer, "transfer"},
    {error_kind::too_many_redirects, "too_many_redirects"},
    {error_kind::http_status, "http_status"},
    {error_kind::content_type, "content_type"},
    {error_kind::too_large, "too_large"},
    {error_kind::shutting_down, "shutting_down"},
    {error_kind::busy, "busy"},
    {error_kind::internal, "internal"},
    {error_kind::gave_up, "gave_up"},
    {error_kind::no_answer, "no_answer"},
    {error_kind::robots, "robots"},
    {error_kind::unauthorized, "unauthorized"},
    {error_kind::quota, "quota"},
}};

}  // namespace

std::string_view to_string(error_kind kind) {
  const auto* found = std::find_if(names.begin(), names.end(),
                                   [kind](const auto& entry) { return entry.first == kind; });
  return found != names.end() ? found->second : std::string_view("internal");
}

std::optional<error_kind> error_kind_from_string(std::string_view name) {
  const auto* found = std::find_if(names.begin(), names.end(),
                                   [name](const auto& entry) { return entry.second == name; });
  if (found == names.end()) {
    return std::nullopt;
  }
  return found->first;
}

std::ostream& operator<<(std::ostream& out, const page_error& error) {
  return out << to_string(error.kind) << ": " << error.message;
}

}  // namespace wordcrawl
