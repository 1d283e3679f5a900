#pragma once

// Which peer addresses the fetcher may connect to. Client-supplied URLs must not reach the
// server's own network (loopback services, cloud metadata at 169.254.169.254, intranet hosts),
// so private and special-purpose ranges are denied by default; --allow-private CIDR re-opens a
// range. The check runs on the resolved address just before the socket is opened, so neither
// DNS tricks nor redirects nor odd spellings of an address ("0x7f.1", "::ffff:127.0.0.1") can
// get around it.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace wordcrawl {

/// An address range such as 10.0.0.0/8 or fc00::/7. IPv4 ranges are held in their
/// IPv4-mapped IPv6 form (::ffff:10.0.0.0/104) so that one comparison serves both families.
struct cidr_block {
  std::array<unsigned char, 16> network{};
  unsigned prefix = 0;  // 0..128, counted over the 16 bytes

  /// Parses "a.b.c.d/n", "v6::/n" or a bare address (a single host); nullopt if invalid.
  static std::optional<cidr_block> parse(std::string_view text);

  /// True if address (in its mapped 16-byte form) lies in this range.
  bool contains(const std::array<unsigned char, 16>& address) const;

  friend bool operator==(const cidr_block&, const cidr_block&) = default;
};

class address_filter {
 public:
  /// The default policy: every range of default_denied() is blocked, nothing is re-allowed.
  address_filter();

  /// Re-allows a range even if the default policy denies it (--allow-private).
  void allow(const cidr_block& range);

  /// Parses and re-allows a range; returns an error message if text is not a CIDR.
  std::optional<std::string> allow(std::string_view text);

  /// True if the fetcher may connect to address.
  bool permits(const boost::asio::ip::address& address) const;

  /// The ranges denied by default, as text (for documentation and tests).
  static const std::vector<std::string_view>& default_denied();

 private:
  std::vector<cidr_block> denied_;
  std::vector<cidr_block> allowed_;
};

/// The IPv4 address an IPv6 address carries if it is IPv4-mapped (::ffff:a.b.c.d),
/// IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or
/// 6to4 (2002:a.b.c.d::/48, the IPv4 address in bits 16..47); nullopt otherwise.
std::optional<boost::asio::ip::address_v4> embedded_v4(const boost::asio::ip::address_v6& address);

}  // namespace wordcrawl
