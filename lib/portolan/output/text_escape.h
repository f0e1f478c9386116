// Making untrusted text safe for each report: XML, and plain text lines.
//
// Hostnames come from PTR records and banners from remote services: either
// can hold any byte. The one idea: a report line or an XML document must stay
// well-formed whatever a remote host sent, so bytes that cannot appear are
// written as the visible escape "\xNN" rather than dropped, keeping them
// inspectable.
#pragma once

#include <string>
#include <string_view>

namespace portolan {

// For XML attribute values and character data: & < > " ' become entities,
// tab/newline/CR become character references (so attribute normalisation
// keeps them), and anything XML 1.0 forbids (other control characters,
// invalid UTF-8, U+FFFE/U+FFFF) becomes the text "\xNN" per byte.
std::string xml_escape(std::string_view text);

// For the inside of an XML comment: no entities are interpreted there, so
// only forbidden characters are replaced ("\xNN") and "--", which may not
// appear in a comment, is broken up as "-&#45;" (what nmap writes).
std::string xml_comment_text(std::string_view text);

// For normal and grepable lines: control characters (C0 including tab and
// newline, which would break the line structure, DEL, and C1) and invalid
// UTF-8 become "\xNN" per byte; valid UTF-8 text passes through.
std::string plain_text(std::string_view text);

}  // namespace portolan
