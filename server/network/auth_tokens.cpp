#include "network/auth_tokens.hpp"

#include <fstream>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

auth_tokens::digest sha256(std::string_view text) {
  auth_tokens::digest out{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

}  // namespace

std::variant<auth_tokens, std::string> auth_tokens::parse(std::string_view text) {
  const auto lines = token_lines(text);
  if (lines.empty()) {
    return std::string("no token in it (one per line; blank lines and # comments are skipped)");
  }
  auth_tokens tokens;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].size() < min_token_bytes) {
      return "token " + std::to_string(i + 1) + " is shorter than " +
             std::to_string(min_token_bytes) + " bytes (make one with: openssl rand -hex 32)";
    }
    tokens.digests_.push_back(sha256(lines[i]));
  }
  return tokens;
}

std::variant<auth_tokens, std::string> auth_tokens::load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    return "cannot read " + path;
  }
  std::ostringstream text;
  text << file.rdbuf();  // an empty file sets failbit on text: it is then "no token"
  if (file.bad()) {
    return "cannot read " + path;
  }
  auto parsed = parse(text.str());
  if (auto* error = std::get_if<std::string>(&parsed)) {
    return path + ": " + *error;
  }
  return parsed;
}

bool auth_tokens::accepts(std::string_view token) const {
  const auto given = sha256(token);
  bool found = false;
  for (const auto& known : digests_) {
    // Non-short-circuit: the time does not tell which token, if any, matched.
    found = (CRYPTO_memcmp(given.data(), known.data(), given.size()) == 0) || found;
  }
  return found;
}

}  // namespace wordcrawl
