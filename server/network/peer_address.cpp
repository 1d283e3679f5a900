#include "network/peer_address.hpp"

namespace wordcrawl {

namespace ip = boost::asio::ip;

ip::address canonical_address(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool is_loopback(const ip::address& address) {
  return canonical_address(address).is_loopback();
}

}  // namespace wordcrawl
