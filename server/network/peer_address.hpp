#pragma once

#include <boost/asio/ip/address.hpp>

namespace wordcrawl {

/// The address as the server judges and counts it: an IPv4-mapped IPv6 address
/// (::ffff:a.b.c.d) becomes the IPv4 address it carries, so both forms of one client are one.
boost::asio::ip::address canonical_address(const boost::asio::ip::address& address);

/// True for 127.0.0.0/8, ::1 and ::ffff:127.x.x.x. The unspecified addresses (0.0.0.0, ::) are
/// not loopback: a server listening on them is reachable from every interface.
bool is_loopback(const boost::asio::ip::address& address);

}  // namespace wordcrawl
