#include "fetch/address_filter.hpp"

#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

bool permits(const address_filter& filter, const std::string& text) {
  return filter.permits(boost::asio::ip::make_address(text));
}

TEST(AddressFilterTest, DeniesPrivateAndSpecialIpv4ByDefault) {
  const address_filter filter;
  for (const std::string& text : std::vector<std::string>{
           "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1",
           "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255",
           "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
           "192.0.0.8", "198.18.0.1"}) {
    EXPECT_FALSE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, PermitsPublicIpv4) {
  const address_filter filter;
  for (const std::string& text : std::vector<std::string>{
           "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.63.255.255",
           "100.128.0.0", "11.0.0.1", "192.167.255.255", "223.255.255.255"}) {
    EXPECT_TRUE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, DeniesPrivateAndSpecialIpv6ByDefault) {
  const address_filter filter;
  for (const std::string& text :
       std::vector<std::string>{"::1", "::", "fc00::1", "fdff:ffff::1", "fe80::1", "febf::1",
                                "fec0::1", "ff02::1", "ff05::1:3"}) {
    EXPECT_FALSE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, PermitsPublicIpv6) {
  const address_filter filter;
  for (const std::string& text : std::vector<std::string>{"2001:4860:4860::8888", "2606:4700::1111",
                                                          "fbff::1", "::2:0:0:1"}) {
    EXPECT_TRUE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, JudgesIpv6FormsOfIpv4ByTheEmbeddedAddress) {
  const address_filter filter;
  for (const std::string& text : std::vector<std::string>{
           "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "::10.0.0.1", "64:ff9b::127.0.0.1",
           "64:ff9b::a9fe:a9fe", "::ffff:192.168.0.1", "::ffff:0.0.0.0"}) {
    EXPECT_FALSE(permits(filter, text)) << text;
  }
  for (const std::string& text :
       std::vector<std::string>{"::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "::8.8.8.8"}) {
    EXPECT_TRUE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, AllowListOverridesTheDefaults) {
  address_filter filter;
  EXPECT_EQ(filter.allow("127.0.0.1/32"), std::nullopt);
  EXPECT_EQ(filter.allow("fd00::/8"), std::nullopt);
  EXPECT_TRUE(permits(filter, "127.0.0.1"));
  EXPECT_TRUE(permits(filter, "::ffff:127.0.0.1"));
  EXPECT_FALSE(permits(filter, "127.0.0.2"));
  EXPECT_FALSE(permits(filter, "::1"));
  EXPECT_TRUE(permits(filter, "fd12::1"));
  EXPECT_FALSE(permits(filter, "fc00::1"));
}

TEST(AddressFilterTest, AllowsABareAddressAsOneHost) {
  address_filter filter;
  EXPECT_EQ(filter.allow("::1"), std::nullopt);
  EXPECT_TRUE(permits(filter, "::1"));
  EXPECT_FALSE(permits(filter, "127.0.0.1"));
}

TEST(AddressFilterTest, RejectsMalformedRanges) {
  address_filter filter;
  for (const std::string& text :
       std::vector<std::string>{"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/8x",
                                "example.com/8", "10.0.0/8", "10.0.0.0/-1", "/8"}) {
    const auto error = filter.allow(text);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(*error, "not an address range: '" + text + "'");
  }
  EXPECT_FALSE(permits(filter, "10.0.0.1"));
}

TEST(CidrBlockTest, ClearsHostBitsSoEqualRangesCompareEqual) {
  EXPECT_EQ(cidr_block::parse("10.1.2.3/8"), cidr_block::parse("10.0.0.0/8"));
  EXPECT_EQ(cidr_block::parse("fe80::1234/10"), cidr_block::parse("fe80::/10"));
  EXPECT_EQ(cidr_block::parse("172.31.0.0/12"), cidr_block::parse("172.16.0.0/12"));
  EXPECT_NE(cidr_block::parse("10.0.0.0/8"), cidr_block::parse("11.0.0.0/8"));
}

TEST(CidrBlockTest, Ipv4RangeIsItsMappedIpv6Range) {
  const auto v4 = cidr_block::parse("192.168.0.0/16");
  const auto v6 = cidr_block::parse("::ffff:192.168.0.0/112");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4, v6);
  EXPECT_EQ(v4->prefix, 112U);
}

TEST(CidrBlockTest, ZeroPrefixContainsEverything) {
  const auto all = cidr_block::parse("::/0");
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->contains(boost::asio::ip::make_address_v6("2001:db8::1").to_bytes()));
}

TEST(EmbeddedV4Test, FindsMappedCompatibleAndNat64Forms) {
  using boost::asio::ip::make_address_v6;
  EXPECT_EQ(embedded_v4(make_address_v6("::ffff:1.2.3.4"))->to_string(), "1.2.3.4");
  EXPECT_EQ(embedded_v4(make_address_v6("::1.2.3.4"))->to_string(), "1.2.3.4");
  EXPECT_EQ(embedded_v4(make_address_v6("64:ff9b::1.2.3.4"))->to_string(), "1.2.3.4");
  EXPECT_EQ(embedded_v4(make_address_v6("::1")), std::nullopt);
  EXPECT_EQ(embedded_v4(make_address_v6("::")), std::nullopt);
  EXPECT_EQ(embedded_v4(make_address_v6("2001:db8::1.2.3.4")), std::nullopt);
}

TEST(AddressFilterTest, Judges6to4AndTranslatedFormsByTheEmbeddedAddress) {
  const address_filter filter;
  for (const std::string text :
       {"2002:7f00:1::", "2002:7f00:1::1", "2002:a00:1::1", "2002:a9fe:a9fe::1",
        "2002:c0a8:101:1::1", "2002::", "::ffff:0:127.0.0.1", "::ffff:0:10.0.0.1",
        "::ffff:0:169.254.169.254", "::ffff:0:0.0.0.0"}) {
    EXPECT_FALSE(permits(filter, text)) << text;
  }
  for (const std::string text : {"2002:808:808::1", "::ffff:0:8.8.8.8"}) {
    EXPECT_TRUE(permits(filter, text)) << text;
  }
}

TEST(AddressFilterTest, AllowListReopens6to4AndTranslatedForms) {
  address_filter filter;
  ASSERT_EQ(filter.allow("127.0.0.1/32"), std::nullopt);
  EXPECT_TRUE(permits(filter, "2002:7f00:1::1"));
  EXPECT_TRUE(permits(filter, "::ffff:0:127.0.0.1"));
  EXPECT_FALSE(permits(filter, "2002:7f00:2::1"));
}

TEST(EmbeddedV4Test, Finds6to4AndTranslatedForms) {
  using boost::asio::ip::make_address_v4;
  using boost::asio::ip::make_address_v6;
  EXPECT_EQ(embedded_v4(make_address_v6("2002:102:304::1")), make_address_v4("1.2.3.4"));
  EXPECT_EQ(embedded_v4(make_address_v6("2002:102:304:ffff::")), make_address_v4("1.2.3.4"));
  EXPECT_EQ(embedded_v4(make_address_v6("::ffff:0:1.2.3.4")), make_address_v4("1.2.3.4"));
  EXPECT_EQ(embedded_v4(make_address_v6("2003:102:304::1")), std::nullopt);
  EXPECT_EQ(embedded_v4(make_address_v6("::fffe:0:1.2.3.4")), std::nullopt);
}

}  // namespace
}  // namespace wordcrawl::testing
