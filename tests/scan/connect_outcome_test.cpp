#include "portolan/scan/connect_outcome.h"

#include <errno.h>
#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(ConnectOutcomeTest, AcceptedIsOpen) {
  auto o = classify_connect_result(0);
  EXPECT_EQ(o.verdict, ConnectVerdict::kFinal);
  EXPECT_EQ(o.state, PortState::kOpen);
  EXPECT_EQ(o.reason, Reason::kSynAck);
  EXPECT_FALSE(o.socket_reusable);
}

TEST(ConnectOutcomeTest, RefusedIsClosedAndTheSocketIsReusable) {
  auto o = classify_connect_result(-ECONNREFUSED);
  EXPECT_EQ(o.verdict, ConnectVerdict::kFinal);
  EXPECT_EQ(o.state, PortState::kClosed);
  EXPECT_EQ(o.reason, Reason::kConnRefused);
  EXPECT_TRUE(o.socket_reusable);
}

TEST(ConnectOutcomeTest, IcmpErrorsAreFiltered) {
  struct Case {
    int err;
    Reason reason;
  } cases[] = {{EHOSTUNREACH, Reason::kHostUnreach},
               {ENETUNREACH, Reason::kNetUnreach},
               {EACCES, Reason::kAdminProhibited},
               {EPERM, Reason::kAdminProhibited},
               {ENOPROTOOPT, Reason::kProtoUnreach}};
  for (const Case& c : cases) {
    auto o = classify_connect_result(-c.err);
    EXPECT_EQ(o.verdict, ConnectVerdict::kFinal) << c.err;
    EXPECT_EQ(o.state, PortState::kFiltered) << c.err;
    EXPECT_EQ(o.reason, c.reason) << c.err;
    EXPECT_FALSE(o.socket_reusable);
  }
}

TEST(ConnectOutcomeTest, SilenceIsRetried) {
  for (int err : {ECANCELED, ETIMEDOUT, EIO}) {
    EXPECT_EQ(classify_connect_result(-err).verdict, ConnectVerdict::kNoAnswer) << err;
  }
}

TEST(ConnectOutcomeTest, LocalShortagesNeverBecomeStates) {
  for (int err : {EADDRNOTAVAIL, EADDRINUSE, EAGAIN, ENOBUFS, ENOMEM, EMFILE, ENFILE}) {
    EXPECT_EQ(classify_connect_result(-err).verdict, ConnectVerdict::kBackOff) << err;
  }
}

}  // namespace
}  // namespace portolan
