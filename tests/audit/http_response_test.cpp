// HTTP response parsing on nginx and tinyproxy answers (captures/http/), the
// synthetic API answers, and truncated and garbage bytes.
#include "portolan/audit/http_response.h"

#include <gtest/gtest.h>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

std::string capture(const std::string& name) {
  return load_capture("http/" + name);
}

TEST(HttpResponse, ParsesNginxBasicAuthChallenge) {
  const std::string raw = capture("nginx-basic-auth.1");
  EXPECT_TRUE(http_response_complete(raw));
  const auto r = parse_http_response(raw);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->version, "HTTP/1.1");
  EXPECT_EQ(r->reason, "Unauthorized");
  EXPECT_EQ(r->header("www-authenticate").value_or(""), "Basic realm=\"Restricted\"");
  EXPECT_EQ(r->body.size(), 179u);
  EXPECT_EQ(http_auth_schemes(*r), std::vector<std::string>{"basic"});
}

TEST(HttpResponse, FindsSchemesInSeveralChallenges) {
  const auto digest = parse_http_response(capture("digest-challenge.http"));
  ASSERT_TRUE(digest);
  EXPECT_EQ(http_auth_schemes(*digest), std::vector<std::string>{"digest"});
  const auto es = parse_http_response(capture("elasticsearch-root-secured.http"));
  ASSERT_TRUE(es);
  EXPECT_EQ(http_auth_schemes(*es), (std::vector<std::string>{"basic", "apikey"}));
}

TEST(HttpResponse, FindsPasswordInputs) {
  const auto form = parse_http_response(capture("nginx-login-form.1"));
  ASSERT_TRUE(form);
  EXPECT_TRUE(html_has_password_input(form->body));
  const auto plain = parse_http_response(capture("nginx-plain-page.1"));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(html_has_password_input(plain->body));
  EXPECT_TRUE(html_has_password_input("<input name=p type=password>"));
  EXPECT_TRUE(html_has_password_input("<input\ntype = 'PASSWORD'>"));
  EXPECT_FALSE(html_has_password_input("<input type=\"text\" name=\"password\">"));
  EXPECT_FALSE(html_has_password_input("<input data-type=password"));
  EXPECT_FALSE(html_has_password_input("<inpu"));
}

TEST(HttpResponse, ReadsProxyAnswersWithoutLength) {
  const auto open = parse_http_response(capture("tinyproxy-open.1"));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 400);
  EXPECT_TRUE(open->header("Via"));
  // No Content-Length: whole only when the peer closes.
  EXPECT_FALSE(http_response_complete(capture("tinyproxy-open.1")));
  const auto denied = parse_http_response(capture("tinyproxy-denied.1"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  EXPECT_FALSE(denied->header("Via"));
}

TEST(HttpResponse, DechunksBodies) {
  const std::string raw =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
      "chunked\r\n\r\n4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\n\r\n";
  EXPECT_TRUE(http_response_complete(raw));
  const auto r = parse_http_response(raw);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "Wikipedia");
  EXPECT_FALSE(http_response_complete(raw.substr(0, raw.size() - 5)));
  // A chunk larger than what came is cut, not overread.
  const auto cut =
      parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\nab");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->body, "ab");
}

TEST(HttpResponse, TruncatedAndGarbage) {
  const std::string raw = capture("docker-version-open.http");
  const size_t head_end = raw.find("\r\n\r\n") + 4;
  for (size_t n = 0; n < raw.size(); ++n) {
    EXPECT_FALSE(http_response_complete(raw.substr(0, n))) << n;
    EXPECT_EQ(parse_http_response(raw.substr(0, n)).has_value(), n >= head_end) << n;
  }
  EXPECT_TRUE(http_response_complete(raw));
  EXPECT_FALSE(parse_http_response("SSH-2.0-x\r\n\r\n"));
  EXPECT_FALSE(parse_http_response("HTTP/1.1 abc OK\r\n\r\n"));
  EXPECT_FALSE(parse_http_response("HTTP/1.1 99 Low\r\n\r\n"));
  EXPECT_FALSE(parse_http_response("HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(http_response_complete("HTTP/1.1 x\r\n\r\n"));  // never HTTP: stop reading
  const auto odd = parse_http_response("HTTP/1.0 200\r\nno colon here\r\n: empty\r\nX: y\r\n\r\n");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->headers.size(), 1u);
}

TEST(HttpResponse, BuildsRequestsAndHostHeaders) {
  EXPECT_EQ(http_host_header("127.0.0.1", 80, false), "127.0.0.1");
  EXPECT_EQ(http_host_header("127.0.0.1", 443, false), "127.0.0.1:443");
  EXPECT_EQ(http_host_header("::1", 443, true), "[::1]");
  EXPECT_EQ(http_host_header("example.org", 8080, true), "example.org:8080");
  EXPECT_EQ(build_http_get("/", "h"),
            "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: portolan-audit\r\nAccept: */*\r\nConnection: "
            "close\r\n\r\n");
}

}  // namespace
}  // namespace portolan::audit
