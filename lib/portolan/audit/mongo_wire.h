// The MongoDB wire protocol, as much as the mongodb-noauth check needs: an
// OP_MSG (opcode 2013) carrying one command document, and the reply's body
// document read into a small tree.
//
// From the public specifications: the wire protocol
// (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/) and
// BSON (https://bsonspec.org/spec.html). Everything is little-endian. The
// parser is a pure function over bytes that came off the wire: every length
// is checked against what is left, nesting is limited, and a type it does not
// know ends the parse with an error, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

// One BSON element; documents and arrays hold their elements in `children`
// (an array's names are "0", "1", ...). Types the check does not need are
// kept as kOther with no value.
struct BsonElement {
  enum class Type : uint8_t {
    kDouble,
    kString,
    kDocument,
    kArray,
    kBool,
    kNull,
    kInt32,
    kInt64,
    kOther
  };
  std::string name;
  Type type = Type::kOther;
  double number = 0;  // kDouble, kInt32, kInt64 (as a double), kBool (0 or 1)
  std::string text;   // kString
  std::vector<BsonElement> children;

  const BsonElement* find(std::string_view child) const;
};

// A command document to send: elements of the types a command needs, in order.
class BsonBuilder {
 public:
  BsonBuilder& add_int32(std::string_view name, int32_t value);
  BsonBuilder& add_bool(std::string_view name, bool value);
  BsonBuilder& add_string(std::string_view name, std::string_view value);
  std::string finish() const;  // the encoded document

 private:
  std::string body_;
};

// An OP_MSG with flags 0 and one body section holding `document`.
std::string build_op_msg(int32_t request_id, std::string_view document);

// The listDatabases command the check sends: {listDatabases: 1, nameOnly:
// true, $db: "admin"} (read-only; names only, so the server reads no sizes).
std::string build_list_databases(int32_t request_id);

// Whether `bytes` holds a whole message (its length prefix is satisfied) or
// can never become one.
bool mongo_message_complete(std::string_view bytes);

// Parses an OP_MSG and returns its body section's document (the elements of
// the top-level document).
Result<std::vector<BsonElement>> parse_op_msg_body(std::string_view bytes);

// What a command reply says.
struct MongoCommandReply {
  bool ok = false;
  int64_t code = 0;       // error code: 13 is Unauthorized
  std::string code_name;  // "Unauthorized"
  std::string errmsg;
  std::vector<std::string> databases;  // listDatabases: the names
};
Result<MongoCommandReply> parse_mongo_command_reply(std::string_view bytes);

}  // namespace portolan::audit
