#include "fetch/address_filter.hpp"

#include <algorithm>
#include <charconv>

#include <boost/system/error_code.hpp>

namespace wordcrawl {
namespace {

using bytes16 = std::array<unsigned char, 16>;
namespace ip = boost::asio::ip;

constexpr unsigned v4_prefix_offset = 96;  // an IPv4 range's prefix, counted over 16 bytes

bytes16 mapped(const ip::address_v4& address) {
  return ip::make_address_v6(ip::v4_mapped, address).to_bytes();
}

// The form both the deny and the allow list are written in: IPv4 and every IPv6 form that
// carries an IPv4 address become IPv4-mapped, so "::127.0.0.1" is judged as 127.0.0.1.
bytes16 canonical(const ip::address& address) {
  if (address.is_v4()) {
    return mapped(address.to_v4());
  }
  if (const auto v4 = embedded_v4(address.to_v6())) {
    return mapped(*v4);
  }
  return address.to_v6().to_bytes();
}

bool has_prefix(const bytes16& bytes, std::initializer_list<unsigned char> prefix) {
  return std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

}  // namespace

std::optional<ip::address_v4> embedded_v4(const ip::address_v6& address) {
  const bytes16 bytes = address.to_bytes();
  const bool mapped_form = has_prefix(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff});
  const bool nat64_form = has_prefix(bytes, {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});
  // :: and ::1 have their own meaning; every other ::a.b.c.d is the deprecated compatible form.
  const bool compatible_form = has_prefix(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) &&
                               !address.is_unspecified() && !address.is_loopback();
  // IPv4-translated (RFC 2765, ::ffff:0:a.b.c.d): still routed to a.b.c.d by a translator.
  const bool translated_form = has_prefix(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0});
  if (mapped_form || nat64_form || compatible_form || translated_form) {
    return ip::address_v4(ip::address_v4::bytes_type{bytes[12], bytes[13], bytes[14], bytes[15]});
  }
  // 6to4 (2002:a.b.c.d::/48): a relay tunnels it to the IPv4 address right after the prefix.
  if (has_prefix(bytes, {0x20, 0x02})) {
    return ip::address_v4(ip::address_v4::bytes_type{bytes[2], bytes[3], bytes[4], bytes[5]});
  }
  return std::nullopt;
}

std::optional<cidr_block> cidr_block::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) {
    return std::nullopt;
  }
  const unsigned width = address.is_v4() ? 32U : 128U;
  unsigned prefix = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        prefix > width) {
      return std::nullopt;
    }
  }
  cidr_block block;
  if (address.is_v4()) {
    block.network = mapped(address.to_v4());
    block.prefix = prefix + v4_prefix_offset;
  } else {
    block.network = address.to_v6().to_bytes();
    block.prefix = prefix;
  }
  // Clear host bits so that equal ranges compare equal whatever address was written.
  for (unsigned bit = block.prefix; bit < 128; ++bit) {
    block.network.at(bit / 8) &= static_cast<unsigned char>(~(0x80U >> (bit % 8)));
  }
  return block;
}

bool cidr_block::contains(const bytes16& address) const {
  const unsigned whole = prefix / 8;
  if (!std::equal(network.begin(), network.begin() + whole, address.begin())) {
    return false;
  }
  const unsigned rest = prefix % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<unsigned char>(0xffU << (8 - rest));
  return (network.at(whole) & mask) == (address.at(whole) & mask);
}

const std::vector<std::string_view>& address_filter::default_denied() {
  static const std::vector<std::string_view> ranges = {
      "0.0.0.0/8",       // "this network", includes the unspecified 0.0.0.0
      "10.0.0.0/8",      // RFC 1918
      "100.64.0.0/10",   // carrier-grade NAT
      "127.0.0.0/8",     // loopback
      "169.254.0.0/16",  // link-local, cloud instance metadata
      "172.16.0.0/12",   // RFC 1918
      "192.0.0.0/24",    // IETF protocol assignments
      "192.168.0.0/16",  // RFC 1918
      "198.18.0.0/15",   // benchmarking networks
      "224.0.0.0/4",     // multicast
      "240.0.0.0/4",     // reserved, includes broadcast 255.255.255.255
      "::/128",          // unspecified
      "::1/128",         // loopback
      "fc00::/7",        // unique local
      "fe80::/10",       // link-local
      "fec0::/10",       // deprecated site-local
      "ff00::/8",        // multicast
  };
  return ranges;
}

address_filter::address_filter() {
  for (const std::string_view text : default_denied()) {
    denied_.push_back(*cidr_block::parse(text));
  }
}

void address_filter::allow(const cidr_block& range) {
  allowed_.push_back(range);
}

std::optional<std::string> address_filter::allow(std::string_view text) {
  const auto range = cidr_block::parse(text);
  if (!range) {
    return "not an address range: '" + std::string(text) + "'";
  }
  allow(*range);
  return std::nullopt;
}

bool address_filter::permits(const ip::address& address) const {
  const bytes16 bytes = canonical(address);
  const auto holds = [&bytes](const cidr_block& range) {
    return range.contains(bytes);
  };
  if (std::any_of(allowed_.begin(), allowed_.end(), holds)) {
    return true;
  }
  return std::none_of(denied_.begin(), denied_.end(), holds);
}

}  // namespace wordcrawl
