// What a report shows of an X.509 certificate: names, validity, key and
// fingerprint (TlsInfo's certificate fields). Reads only; verifies nothing.
#pragma once

#include "portolan/results/scan_result.h"

struct x509_st;

namespace portolan {

// Fills the certificate fields of `info` from `cert` (not owned).
void describe_certificate(x509_st* cert, TlsInfo& info);

}  // namespace portolan
