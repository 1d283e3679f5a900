#include "network/link_stream.hpp"

namespace wordcrawl {

void link_stream::close() {
  boost::system::error_code ignored;
  lowest().shutdown(tcp::socket::shutdown_both, ignored);
  lowest().close(ignored);
}

}  // namespace wordcrawl
