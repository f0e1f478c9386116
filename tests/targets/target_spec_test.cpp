// Tests of TargetSpec: each syntax with its exact expansion, seek, and the
// one-line error of each malformed form. Only "localhost" reaches the system
// resolver (answered from /etc/hosts); failures use an injected resolver, so
// no DNS query leaves the machine.
#include "portolan/targets/target_spec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace portolan {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TargetSpec parse_ok(std::string_view text, TargetOptions options = {}) {
  auto spec = TargetSpec::parse(text, options);
  EXPECT_TRUE(spec) << text << ": " << (spec ? "" : spec.error().message());
  if (!spec) std::abort();  // the remaining assertions would be meaningless
  return std::move(*spec);
}

std::string parse_error(std::string_view text, TargetOptions options = {}) {
  auto spec = TargetSpec::parse(text, options);
  EXPECT_FALSE(spec) << text << " parsed but should not";
  return spec ? std::string() : spec.error().message();
}

std::vector<std::string> walk(const TargetSpec& spec, size_t limit = 100000) {
  std::vector<std::string> out;
  TargetSpec::Walker walker(spec);
  IpAddress address;
  while (out.size() < limit && walker.next(address)) out.push_back(address.to_string());
  return out;
}

IpAddress ip(std::string_view text) {
  return *IpAddress::parse(text);
}

TEST(TargetSpecTest, SingleIpv4Literal) {
  auto spec = parse_ok("192.168.1.1");
  EXPECT_FALSE(spec.is_octet_range());
  EXPECT_EQ(spec.family(), IpFamily::kV4);
  EXPECT_EQ(spec.prefix_length(), 32);
  EXPECT_EQ(spec.size(), 1u);
  EXPECT_EQ(spec.text(), "192.168.1.1");
  EXPECT_EQ(spec.hostname(), "");
  EXPECT_EQ(walk(spec), std::vector<std::string>{"192.168.1.1"});
}

TEST(TargetSpecTest, SingleIpv6Literal) {
  auto spec = parse_ok("2001:DB8::1");
  EXPECT_EQ(spec.family(), IpFamily::kV6);
  EXPECT_EQ(spec.prefix_length(), 128);
  EXPECT_EQ(spec.size(), 1u);
  EXPECT_EQ(walk(spec), std::vector<std::string>{"2001:db8::1"});
}

TEST(TargetSpecTest, Ipv4CidrMasksHostBits) {
  auto spec = parse_ok("192.168.1.77/24");
  EXPECT_EQ(spec.size(), 256u);
  EXPECT_EQ(spec.first().to_string(), "192.168.1.0");
  EXPECT_EQ(spec.last().to_string(), "192.168.1.255");
  EXPECT_EQ(spec.at(0).to_string(), "192.168.1.0");
  EXPECT_EQ(spec.at(77).to_string(), "192.168.1.77");
  EXPECT_EQ(spec.at(255).to_string(), "192.168.1.255");
  auto all = walk(spec);
  ASSERT_EQ(all.size(), 256u);
  EXPECT_EQ(all.front(), "192.168.1.0");
  EXPECT_EQ(all[1], "192.168.1.1");
  EXPECT_EQ(all.back(), "192.168.1.255");
  EXPECT_TRUE(spec.contains(ip("192.168.1.200")));
  EXPECT_FALSE(spec.contains(ip("192.168.2.0")));
  EXPECT_FALSE(spec.contains(ip("::ffff:192.168.1.1")));
}

TEST(TargetSpecTest, Ipv4CidrEdges) {
  auto all = parse_ok("0.0.0.0/0");
  EXPECT_EQ(all.size(), uint64_t{1} << 32);
  EXPECT_EQ(all.first().to_string(), "0.0.0.0");
  EXPECT_EQ(all.last().to_string(), "255.255.255.255");
  EXPECT_EQ(all.at((uint64_t{1} << 32) - 1).to_string(), "255.255.255.255");

  EXPECT_EQ(walk(parse_ok("10.0.0.1/32")), std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(walk(parse_ok("10.0.0.5/31")), (std::vector<std::string>{"10.0.0.4", "10.0.0.5"}));
  EXPECT_EQ(walk(parse_ok("255.255.255.255/30")),
            (std::vector<std::string>{"255.255.255.252", "255.255.255.253", "255.255.255.254",
                                      "255.255.255.255"}));
  EXPECT_EQ(parse_ok("10.1.2.3/8").first().to_string(), "10.0.0.0");
  EXPECT_EQ(parse_ok("1.2.3.4/024").prefix_length(), 24);  // leading zero is still decimal
}

TEST(TargetSpecTest, Ipv6Cidr) {
  auto spec = parse_ok("2001:db8::1234/120");
  EXPECT_EQ(spec.size(), 256u);
  EXPECT_EQ(spec.first().to_string(), "2001:db8::1200");
  EXPECT_EQ(spec.last().to_string(), "2001:db8::12ff");
  auto all = walk(spec);
  ASSERT_EQ(all.size(), 256u);
  EXPECT_EQ(all[1], "2001:db8::1201");
  EXPECT_EQ(all.back(), "2001:db8::12ff");
  EXPECT_EQ(spec.at(255).to_string(), "2001:db8::12ff");

  EXPECT_EQ(walk(parse_ok("::1/128")), std::vector<std::string>{"::1"});
  EXPECT_EQ(parse_ok("2001:db8::/127").size(), 2u);
  EXPECT_EQ(parse_ok("2001:db8::/65").size(), uint64_t{1} << 63);
}

TEST(TargetSpecTest, Ipv6WideBlocksSaturate) {
  auto spec = parse_ok("2001:db8:1:2::/64");
  EXPECT_EQ(spec.size(), kMax);  // 2^64 addresses, saturated
  EXPECT_EQ(spec.first().to_string(), "2001:db8:1:2::");
  EXPECT_EQ(spec.last().to_string(), "2001:db8:1:2:ffff:ffff:ffff:ffff");
  EXPECT_EQ(spec.at(kMax - 1).to_string(), "2001:db8:1:2:ffff:ffff:ffff:fffe");
  EXPECT_EQ(walk(spec, 3),
            (std::vector<std::string>{"2001:db8:1:2::", "2001:db8:1:2::1", "2001:db8:1:2::2"}));

  // The walker is exact past 2^64: it reaches the block's very last address.
  TargetSpec::Walker walker(spec);
  walker.seek(ip("2001:db8:1:2:ffff:ffff:ffff:fffe"));
  IpAddress a;
  ASSERT_TRUE(walker.next(a));
  EXPECT_EQ(a.to_string(), "2001:db8:1:2:ffff:ffff:ffff:fffe");
  ASSERT_TRUE(walker.next(a));
  EXPECT_EQ(a.to_string(), "2001:db8:1:2:ffff:ffff:ffff:ffff");
  EXPECT_FALSE(walker.next(a));

  auto everything = parse_ok("::/0");
  EXPECT_EQ(everything.size(), kMax);
  EXPECT_EQ(everything.last().to_string(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(parse_ok("2001:db8::/48").at(kMax - 1).to_string(), "2001:db8::ffff:ffff:ffff:fffe");
}

TEST(TargetSpecTest, OctetRanges) {
  auto spec = parse_ok("192.168.1-3.1-254");
  EXPECT_TRUE(spec.is_octet_range());
  EXPECT_EQ(spec.prefix_length(), -1);
  EXPECT_EQ(spec.size(), 3u * 254u);
  EXPECT_EQ(spec.first().to_string(), "192.168.1.1");
  EXPECT_EQ(spec.last().to_string(), "192.168.3.254");
  auto all = walk(spec);
  ASSERT_EQ(all.size(), 762u);
  EXPECT_EQ(all[0], "192.168.1.1");
  EXPECT_EQ(all[1], "192.168.1.2");
  EXPECT_EQ(all[253], "192.168.1.254");
  EXPECT_EQ(all[254], "192.168.2.1");
  EXPECT_EQ(all.back(), "192.168.3.254");
  EXPECT_TRUE(spec.contains(ip("192.168.2.100")));
  EXPECT_FALSE(spec.contains(ip("192.168.2.0")));
  EXPECT_FALSE(spec.contains(ip("192.168.4.1")));
  EXPECT_FALSE(spec.contains(ip("::1")));
}

TEST(TargetSpecTest, OctetCommaListsAndOpenEnds) {
  auto spec = parse_ok("10.0.0,1,3-7.-");
  EXPECT_EQ(spec.size(), 7u * 256u);
  EXPECT_EQ(spec.first().to_string(), "10.0.0.0");
  EXPECT_EQ(spec.last().to_string(), "10.0.7.255");
  EXPECT_EQ(spec.at(256).to_string(), "10.0.1.0");
  EXPECT_EQ(spec.at(512).to_string(), "10.0.3.0");
  EXPECT_TRUE(spec.contains(ip("10.0.3.9")));
  EXPECT_FALSE(spec.contains(ip("10.0.2.9")));

  EXPECT_EQ(parse_ok("1.1.1.5-").size(), 251u);
  EXPECT_EQ(parse_ok("1.1.1.5-").first().to_string(), "1.1.1.5");
  EXPECT_EQ(parse_ok("1.1.1.-5").size(), 6u);
  EXPECT_EQ(parse_ok("1.1.1.-5").last().to_string(), "1.1.1.5");
  EXPECT_EQ(parse_ok("-.-.-.-").size(), uint64_t{1} << 32);
  EXPECT_EQ(parse_ok("-.-.-.-").last().to_string(), "255.255.255.255");
  // Values are a set: duplicates collapse and the walk is ascending.
  EXPECT_EQ(walk(parse_ok("10.0.0.9,3,3,5-6")),
            (std::vector<std::string>{"10.0.0.3", "10.0.0.5", "10.0.0.6", "10.0.0.9"}));
  // A "range" of single values is a literal, so it takes a prefix.
  EXPECT_FALSE(parse_ok("10.0.0.7-7").is_octet_range());
  EXPECT_EQ(parse_ok("10.0.0.7-7/30").size(), 4u);
}

TEST(TargetSpecTest, IndexAndWalkAgree) {
  for (const char* text : {"10.0.0,1,3-7.250-", "1-3.4,9.0.-2", "2001:db8::/122", "10.9.8.0/26"}) {
    auto spec = parse_ok(text);
    auto all = walk(spec);
    ASSERT_EQ(all.size(), spec.size()) << text;
    for (uint64_t i = 0; i < spec.size(); ++i) {
      ASSERT_EQ(spec.at(i).to_string(), all[i]) << text << " index " << i;
      ASSERT_TRUE(spec.contains(spec.at(i)));
    }
  }
}

TEST(TargetSpecTest, SeekInOctetRange) {
  auto spec = parse_ok("10.0.1,3,5.1-3");
  auto first_after_seek = [&](std::string_view target) -> std::string {
    TargetSpec::Walker walker(spec);
    walker.seek(ip(target));
    IpAddress a;
    return walker.next(a) ? a.to_string() : "end";
  };
  EXPECT_EQ(first_after_seek("10.0.0.0"), "10.0.1.1");
  EXPECT_EQ(first_after_seek("10.0.1.2"), "10.0.1.2");
  EXPECT_EQ(first_after_seek("10.0.2.0"), "10.0.3.1");
  EXPECT_EQ(first_after_seek("10.0.3.4"), "10.0.5.1");
  EXPECT_EQ(first_after_seek("10.0.5.3"), "10.0.5.3");
  EXPECT_EQ(first_after_seek("10.0.5.4"), "end");
  EXPECT_EQ(first_after_seek("10.1.0.0"), "end");
  EXPECT_EQ(first_after_seek("::"), "end");
}

// Seek must land on the smallest member >= target; checked against brute force.
TEST(TargetSpecTest, SeekMatchesBruteForce) {
  std::mt19937 rng(12345);
  const std::vector<std::string> specs = {"1-3.4,9.0,200-201.0-2", "0.0.0.0-255", "7,9.7,9.7,9.7,9",
                                          "10.0.0.0/29", "100-101.-.5.5"};
  for (const auto& text : specs) {
    auto spec = parse_ok(text);
    auto all = walk(spec, 1u << 20);
    std::vector<IpAddress> members;
    for (const auto& s : all) members.push_back(ip(s));
    for (int trial = 0; trial < 2000; ++trial) {
      // Targets near the members make the interesting cases common.
      IpAddress base = members[rng() % members.size()];
      std::array<uint8_t, 16> bytes = base.bytes();
      bytes[rng() % 4] = static_cast<uint8_t>(bytes[rng() % 4] + (rng() % 5) - 2);
      const IpAddress target =
          IpAddress::v4((uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                        (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]});
      std::string expected = "end";
      for (const auto& m : members) {
        if (m >= target) {
          expected = m.to_string();
          break;
        }
      }
      TargetSpec::Walker walker(spec);
      walker.seek(target);
      IpAddress got;
      ASSERT_EQ(walker.next(got) ? got.to_string() : "end", expected)
          << text << " seek " << target.to_string();
    }
  }
}

TEST(TargetSpecTest, SeekNeverMovesBackwards) {
  auto spec = parse_ok("10.0.0.0/30");
  TargetSpec::Walker walker(spec);
  IpAddress a;
  ASSERT_TRUE(walker.next(a));
  ASSERT_TRUE(walker.next(a));
  walker.seek(ip("10.0.0.0"));
  ASSERT_TRUE(walker.next(a));
  EXPECT_EQ(a.to_string(), "10.0.0.2");
  walker.seek(ip("10.0.1.0"));
  EXPECT_FALSE(walker.next(a));
}

TEST(TargetSpecTest, CoveredThroughFindsTheExcludedRun) {
  auto through = [](std::string_view exclude, std::string_view walked, std::string_view at) {
    return parse_ok(exclude).covered_through(ip(at), parse_ok(walked)).to_string();
  };
  EXPECT_EQ(through("10.0.0.0/24", "10.0.0.0/8", "10.0.0.7"), "10.0.0.255");
  // Within one row, up to the next walked value not excluded.
  EXPECT_EQ(through("10.0.0.1-10,12", "10.0.0.0/8", "10.0.0.3"), "10.0.0.10");
  EXPECT_EQ(through("10.0.0.1-10,12", "10.0.0.0-9,11", "10.0.0.3"), "10.0.0.10");
  // Walking exactly the excluded set: nothing after is left.
  EXPECT_EQ(through("10.0.0.1-10,12", "10.0.0.1-10,12", "10.0.0.3"), "255.255.255.255");
  // Full lower octets let the run span rows and blocks.
  EXPECT_EQ(through("10.0-5.-.-", "10.0.0.0/8", "10.2.3.4"), "10.5.255.255");
  EXPECT_EQ(through("10.0-5.1-3.-", "10.0.0.0/8", "10.2.3.4"), "10.2.3.255");
  EXPECT_EQ(through("10.0-5.1-3.-", "10.-.2,3.0-9", "10.2.3.4"), "10.5.255.255");
  EXPECT_EQ(through("-.-.-.-", "-.-.-.-", "1.2.3.4"), "255.255.255.255");
}

TEST(TargetSpecTest, LocalhostResolves) {
  auto spec = parse_ok("localhost");
  EXPECT_EQ(spec.hostname(), "localhost");
  EXPECT_EQ(spec.resolved_address().to_string(), "127.0.0.1");
  EXPECT_EQ(walk(spec), std::vector<std::string>{"127.0.0.1"});
}

TEST(TargetSpecTest, HostnameWithPrefixAppliesToResolvedAddress) {
  auto spec = parse_ok("localhost/30");
  EXPECT_EQ(spec.hostname(), "localhost");
  EXPECT_EQ(spec.resolved_address().to_string(), "127.0.0.1");
  EXPECT_EQ(walk(spec),
            (std::vector<std::string>{"127.0.0.0", "127.0.0.1", "127.0.0.2", "127.0.0.3"}));
  EXPECT_EQ(parse_error("localhost/33"),
            "invalid target 'localhost/33': prefix length 33 is out of range 0-32");
}

// A resolver that knows no names: resolution failures are tested without
// sending a DNS query off this machine.
Result<IpAddress> resolve_nothing(const std::string& name, bool) {
  return fail(ErrorKind::kNotFound, "failed to resolve '" + name + "'");
}

TEST(TargetSpecTest, UnresolvableName) {
  TargetOptions options;
  options.resolver = resolve_nothing;
  auto spec = TargetSpec::parse("nosuchhost.invalid", options);
  ASSERT_FALSE(spec);
  EXPECT_EQ(spec.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(spec.error().message(), "failed to resolve 'nosuchhost.invalid'");
}

TEST(TargetSpecTest, ResolutionCanBeDisabled) {
  TargetOptions options;
  options.resolve_names = false;
  EXPECT_EQ(parse_error("localhost", options),
            "invalid target 'localhost': host names are not allowed (name resolution is "
            "disabled)");
  EXPECT_TRUE(TargetSpec::parse("10.0.0.0/8", options));
  EXPECT_TRUE(TargetSpec::parse("::1", options));
}

TEST(TargetSpecTest, Ipv6OptionRejectsIpv4) {
  TargetOptions v6;
  v6.ipv6 = true;
  for (const char* text : {"10.0.0.1", "10.0.0.0/8", "10.0.0.1-5"}) {
    EXPECT_EQ(parse_error(text, v6),
              "invalid target '" + std::string(text) + "': IPv4 targets cannot be scanned with -6");
  }
  EXPECT_EQ(parse_ok("2001:db8::/126", v6).size(), 4u);
  // Without -6 both families are accepted side by side.
  EXPECT_EQ(parse_ok("::1").family(), IpFamily::kV6);
  EXPECT_EQ(parse_ok("127.0.0.1").family(), IpFamily::kV4);
}

TEST(TargetSpecTest, MalformedSpecsGiveOneLineErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "invalid target '': empty target"},
      {"10.0.0.300", "invalid target '10.0.0.300': octet 300 is out of range 0-255"},
      {"1.2.3.1000", "invalid target '1.2.3.1000': octet 1000 is out of range 0-255"},
      {"1.2.3.4/33", "invalid target '1.2.3.4/33': prefix length 33 is out of range 0-32"},
      {"1.2.3.4/1000", "invalid target '1.2.3.4/1000': prefix length 1000 is out of range"},
      {"::1/129", "invalid target '::1/129': prefix length 129 is out of range 0-128"},
      {"1-2-3.4.5.6", "invalid target '1-2-3.4.5.6': octet range '1-2-3' has more than one '-'"},
      {"1.2.7-3.4", "invalid target '1.2.7-3.4': octet range '7-3': start is greater than end"},
      {"a..b", "invalid target 'a..b': empty label in host name"},
      {".", "invalid target '.': expected 4 dot-separated octets, found 2"},
      {"a.-b", "invalid target 'a.-b': host name label '-b' starts with '-'"},
      {"1.2.3", "invalid target '1.2.3': expected 4 dot-separated octets, found 3"},
      {"1.2.3.4.5", "invalid target '1.2.3.4.5': expected 4 dot-separated octets, found 5"},
      {"12345", "invalid target '12345': expected 4 dot-separated octets, found 1"},
      {"-", "invalid target '-': expected 4 dot-separated octets, found 1"},
      {"1.2..4", "invalid target '1.2..4': empty octet"},
      {"1.2.3,.4", "invalid target '1.2.3,.4': empty element in octet list '3,'"},
      {"10.0.0.1-5/24",
       "invalid target '10.0.0.1-5/24': a /N prefix cannot be combined with octet ranges"},
      {"1.2.3.4/", "invalid target '1.2.3.4/': missing prefix length after '/'"},
      {"1.2.3.4/x", "invalid target '1.2.3.4/x': prefix length 'x' is not a number"},
      {"1.2.3.4/-1", "invalid target '1.2.3.4/-1': prefix length '-1' is not a number"},
      {"1.2.3.4/24/8", "invalid target '1.2.3.4/24/8': more than one '/'"},
      {"/24", "invalid target '/24': missing address before '/'"},
      {"2001:db8::g", "invalid target '2001:db8::g': not a valid IPv6 address"},
      {":::", "invalid target ':::': not a valid IPv6 address"},
      {"1.2.3.4:80", "invalid target '1.2.3.4:80': not a valid IPv6 address"},
      {"fe80::1%eth0", "invalid target 'fe80::1%eth0': IPv6 zone indexes ('%') are not supported"},
      {"bad host", "invalid target 'bad host': invalid character ' '"},
      {"host\tname", "invalid target 'host\\x09name': invalid character '\\x09'"},
      {"-oX", "invalid target '-oX': host name label '-oX' starts with '-'"},
      {std::string("1.2.3.4\0", 8), "invalid target '1.2.3.4\\x00': contains a NUL byte"},
      {std::string("ab\0c", 4), "invalid target 'ab\\x00c': contains a NUL byte"},
      {"caf\xc3\xa9.example", "invalid target 'caf\\xc3\\xa9.example': invalid character '\\xc3'"},
      {std::string(64, 'a') + ".example", "invalid target '" + std::string(64, 'a') +
                                              "...': host name label longer than 63 characters"},
  };
  for (const auto& [text, message] : cases) {
    TargetOptions options;
    options.resolve_names = false;  // malformed input must fail before any lookup
    auto spec = TargetSpec::parse(text, options);
    ASSERT_FALSE(spec) << text;
    EXPECT_EQ(spec.error().message(), message);
    EXPECT_EQ(spec.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(spec.error().message().find('\n'), std::string::npos);
  }
}

TEST(TargetSpecTest, AbsurdlyLongInputIsRejectedWithShortMessage) {
  const std::string name = std::string(5000, 'a');
  auto message = parse_error(name);
  EXPECT_EQ(message,
            "invalid target '" + std::string(64, 'a') + "...': longer than 4096 characters");

  std::string long_name;
  for (int i = 0; i < 60; ++i) long_name += "abcde.";
  long_name += "com";
  EXPECT_EQ(parse_error(long_name).substr(parse_error(long_name).find("': ") + 3),
            "host name longer than 253 characters");

  // A long but valid comma list is fine.
  std::string all;
  for (int v = 0; v < 256; ++v) all += (v ? "," : "") + std::to_string(v);
  EXPECT_EQ(parse_ok("10.0.0." + all).size(), 256u);
}

TEST(TargetSpecTest, AcceptsHostnameSyntaxBeforeLookup) {
  TargetOptions options;
  options.resolve_names = false;
  // These are well-formed names: they fail only because resolution is off.
  for (const char* text :
       {"example.com", "example.com.", "my_host-1.lan", "a/24", "1-2-3.example"}) {
    auto message = parse_error(text, options);
    EXPECT_NE(message.find("name resolution is disabled"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace portolan
