#include "portolan/service/certificate_info.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace portolan {
namespace {

std::string name_line(X509_NAME* name) {
  if (!name) return {};
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio) return {};
  // RFC 2253 order and escaping, UTF-8 kept as is.
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len > 0 ? len : 0));
  BIO_free(bio);
  return out;
}

std::string iso_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

void describe_certificate(X509* cert, TlsInfo& info) {
  if (!cert) return;
  info.subject = name_line(X509_get_subject_name(cert));
  info.issuer = name_line(X509_get_issuer_name(cert));
  info.not_before = iso_time(X509_get0_notBefore(cert));
  info.not_after = iso_time(X509_get0_notAfter(cert));
  info.self_signed = X509_check_issued(cert, cert) == X509_V_OK;

  if (auto* sans = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
      if (gn->type == GEN_DNS) {
        const auto* s = gn->d.dNSName;
        info.sans.push_back("DNS:" +
                            std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                        static_cast<size_t>(ASN1_STRING_length(s))));
      } else if (gn->type == GEN_IPADD) {
        const auto* s = gn->d.iPAddress;
        const unsigned char* b = ASN1_STRING_get0_data(s);
        const int n = ASN1_STRING_length(s);
        if (n == 4) {
          info.sans.push_back(fmt::format("IP:{}.{}.{}.{}", b[0], b[1], b[2], b[3]));
        } else if (n == 16) {
          std::string v6;
          for (int k = 0; k < 16; k += 2) {
            if (k) v6 += ':';
            v6 += fmt::format("{:x}", (b[k] << 8) | b[k + 1]);
          }
          info.sans.push_back("IP:" + v6);
        }
      }
    }
    GENERAL_NAMES_free(sans);
  }

  if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
    info.key_bits = EVP_PKEY_get_bits(key);
    switch (EVP_PKEY_get_base_id(key)) {
      case EVP_PKEY_RSA:
        info.key_type = "rsa";
        break;
      case EVP_PKEY_EC:
        info.key_type = "ec";
        break;
      case EVP_PKEY_DSA:
        info.key_type = "dsa";
        break;
      case EVP_PKEY_ED25519:
        info.key_type = "ed25519";
        break;
      case EVP_PKEY_ED448:
        info.key_type = "ed448";
        break;
      default:
        info.key_type = "other";
        break;
    }
  }
  const int sig_nid = X509_get_signature_nid(cert);
  if (sig_nid != NID_undef) info.signature_algorithm = OBJ_nid2ln(sig_nid);

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &md_len) == 1) {
    for (unsigned int i = 0; i < md_len; ++i) info.sha256 += fmt::format("{:02x}", md[i]);
  }
}

}  // namespace portolan
