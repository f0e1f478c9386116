// MongoDB OP_MSG and BSON; see mongo_wire.h.
#include "portolan/audit/mongo_wire.h"

#include <cstring>

namespace portolan::audit {
namespace {

constexpr int32_t kOpMsg = 2013;
constexpr int kMaxDepth = 16;
constexpr size_t kMaxElements = 10000;
constexpr int32_t kMaxMessage = 48 * 1024 * 1024;  // MongoDB's own limit

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A bounds-checked little-endian reader over the bytes of one message.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  size_t left() const { return bytes_.size() - pos_; }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return bytes_.substr(pos_); }
  bool u8(uint8_t& v) {
    if (left() < 1) return false;
    v = static_cast<uint8_t>(bytes_[pos_++]);
    return true;
  }
  bool le32(int32_t& v) {
    uint64_t u = 0;
    if (!le(4, u)) return false;
    v = static_cast<int32_t>(static_cast<uint32_t>(u));
    return true;
  }
  bool le64(uint64_t& v) { return le(8, v); }
  bool skip(size_t n) {
    if (left() < n) return false;
    pos_ += n;
    return true;
  }
  bool take(size_t n, std::string_view& out) {
    if (left() < n) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool cstring(std::string_view& out) {
    const size_t nul = bytes_.find('\0', pos_);
    if (nul == std::string_view::npos) return false;
    out = bytes_.substr(pos_, nul - pos_);
    pos_ = nul + 1;
    return true;
  }

 private:
  bool le(int n, uint64_t& v) {
    if (left() < static_cast<size_t>(n)) return false;
    v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>(bytes_[pos_ + i])} << (8 * i);
    pos_ += static_cast<size_t>(n);
    return true;
  }
  std::string_view bytes_;
  size_t pos_ = 0;
};

Result<std::vector<BsonElement>> parse_document(std::string_view doc, int depth);

Result<void> parse_element(Reader& r, uint8_t type, BsonElement& e, int depth) {
  using T = BsonElement::Type;
  switch (type) {
    case 0x01: {
      uint64_t bits = 0;
      if (!r.le64(bits)) return fail("BSON double cut short");
      double d = 0;
      std::memcpy(&d, &bits, sizeof d);
      e.type = T::kDouble;
      e.number = d;
      return {};
    }
    case 0x02: {
      int32_t len = 0;
      std::string_view s;
      if (!r.le32(len) || len < 1 || !r.take(static_cast<size_t>(len), s))
        return fail("BSON string cut short");
      e.type = T::kString;
      e.text = std::string(s.substr(0, s.size() - 1));
      return {};
    }
    case 0x03:
    case 0x04: {
      // The embedded document's length counts its own four bytes.
      const std::string_view rest = r.rest();
      Reader size_reader(rest);
      int32_t len = 0;
      if (!size_reader.le32(len) || len < 5 || static_cast<size_t>(len) > rest.size()) {
        return fail("BSON document length is bad");
      }
      auto children = parse_document(rest.substr(0, static_cast<size_t>(len)), depth + 1);
      if (!children) return Unexpected(children.error());
      (void)r.skip(static_cast<size_t>(len));
      e.type = type == 0x03 ? T::kDocument : T::kArray;
      e.children = std::move(*children);
      return {};
    }
    case 0x05: {  // binary: length, subtype, bytes
      int32_t len = 0;
      if (!r.le32(len) || len < 0 || !r.skip(static_cast<size_t>(len) + 1))
        return fail("BSON binary cut short");
      return {};
    }
    case 0x06:  // undefined
    case 0x0A:  // null
    case 0x7F:  // max key
    case 0xFF:  // min key
      e.type = type == 0x0A ? T::kNull : T::kOther;
      return {};
    case 0x07:
      return r.skip(12) ? Result<void>() : fail("BSON ObjectId cut short");
    case 0x08: {
      uint8_t b = 0;
      if (!r.u8(b)) return fail("BSON boolean cut short");
      e.type = T::kBool;
      e.number = b != 0 ? 1 : 0;
      return {};
    }
    case 0x09:  // UTC datetime
    case 0x11:  // timestamp
      return r.skip(8) ? Result<void>() : fail("BSON 64-bit value cut short");
    case 0x0B: {  // regex: two cstrings
      std::string_view a, b;
      return r.cstring(a) && r.cstring(b) ? Result<void>() : fail("BSON regex cut short");
    }
    case 0x10: {
      int32_t v = 0;
      if (!r.le32(v)) return fail("BSON int32 cut short");
      e.type = T::kInt32;
      e.number = v;
      return {};
    }
    case 0x12: {
      uint64_t v = 0;
      if (!r.le64(v)) return fail("BSON int64 cut short");
      e.type = T::kInt64;
      e.number = static_cast<double>(static_cast<int64_t>(v));
      return {};
    }
    case 0x13:
      return r.skip(16) ? Result<void>() : fail("BSON decimal128 cut short");
    default:
      return fail("BSON element of an unknown type");
  }
}

// `doc` is one whole document: int32 length, elements, a 0 byte.
Result<std::vector<BsonElement>> parse_document(std::string_view doc, int depth) {
  if (depth > kMaxDepth) return fail("BSON nested too deep");
  Reader r(doc);
  int32_t len = 0;
  if (!r.le32(len) || len < 5 || static_cast<size_t>(len) > doc.size())
    return fail("BSON document length is bad");
  Reader body(doc.substr(4, static_cast<size_t>(len) - 4));
  std::vector<BsonElement> out;
  while (true) {
    uint8_t type = 0;
    if (!body.u8(type)) return fail("BSON document not terminated");
    if (type == 0) break;
    if (out.size() >= kMaxElements) return fail("BSON document has too many elements");
    BsonElement e;
    std::string_view name;
    if (!body.cstring(name)) return fail("BSON element name not terminated");
    e.name = std::string(name);
    if (auto ok = parse_element(body, type, e, depth); !ok) return Unexpected(ok.error());
    out.push_back(std::move(e));
  }
  return out;
}

const BsonElement* find_in(const std::vector<BsonElement>& elements, std::string_view name) {
  for (const auto& e : elements) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

bool is_number(const BsonElement& e) {
  using T = BsonElement::Type;
  return e.type == T::kDouble || e.type == T::kInt32 || e.type == T::kInt64 || e.type == T::kBool;
}

}  // namespace

const BsonElement* BsonElement::find(std::string_view child) const {
  return find_in(children, child);
}

BsonBuilder& BsonBuilder::add_int32(std::string_view name, int32_t value) {
  body_.push_back('\x10');
  body_.append(name);
  body_.push_back('\0');
  put_le32(body_, static_cast<uint32_t>(value));
  return *this;
}

BsonBuilder& BsonBuilder::add_bool(std::string_view name, bool value) {
  body_.push_back('\x08');
  body_.append(name);
  body_.push_back('\0');
  body_.push_back(value ? '\x01' : '\x00');
  return *this;
}

BsonBuilder& BsonBuilder::add_string(std::string_view name, std::string_view value) {
  body_.push_back('\x02');
  body_.append(name);
  body_.push_back('\0');
  put_le32(body_, static_cast<uint32_t>(value.size() + 1));
  body_.append(value);
  body_.push_back('\0');
  return *this;
}

std::string BsonBuilder::finish() const {
  std::string doc;
  put_le32(doc, static_cast<uint32_t>(body_.size() + 5));
  doc.append(body_);
  doc.push_back('\0');
  return doc;
}

std::string build_op_msg(int32_t request_id, std::string_view document) {
  std::string msg;
  put_le32(msg, static_cast<uint32_t>(16 + 4 + 1 + document.size()));
  put_le32(msg, static_cast<uint32_t>(request_id));
  put_le32(msg, 0);  // responseTo
  put_le32(msg, static_cast<uint32_t>(kOpMsg));
  put_le32(msg, 0);     // flagBits
  msg.push_back('\0');  // section kind 0: the body
  msg.append(document);
  return msg;
}

std::string build_list_databases(int32_t request_id) {
  const std::string doc = BsonBuilder()
                              .add_int32("listDatabases", 1)
                              .add_bool("nameOnly", true)
                              .add_string("$db", "admin")
                              .finish();
  return build_op_msg(request_id, doc);
}

bool mongo_message_complete(std::string_view bytes) {
  Reader r(bytes);
  int32_t len = 0;
  if (!r.le32(len)) return false;
  if (len < 16 || len > kMaxMessage) return true;  // never a message: stop reading
  return bytes.size() >= static_cast<size_t>(len);
}

Result<std::vector<BsonElement>> parse_op_msg_body(std::string_view bytes) {
  Reader r(bytes);
  int32_t len = 0, request_id = 0, response_to = 0, opcode = 0, flags = 0;
  if (!r.le32(len) || !r.le32(request_id) || !r.le32(response_to) || !r.le32(opcode)) {
    return fail("MongoDB message header cut short");
  }
  if (len < 21 || len > kMaxMessage) return fail("MongoDB message length is bad");
  if (static_cast<size_t>(len) > bytes.size()) return fail("MongoDB message cut short");
  if (opcode != kOpMsg) return fail("MongoDB reply is not an OP_MSG");
  if (!r.le32(flags)) return fail("MongoDB message header cut short");
  size_t end = static_cast<size_t>(len);
  if ((flags & 1) != 0) {  // checksumPresent: a CRC-32C trails the sections
    if (end < 25) return fail("MongoDB message length is bad");
    end -= 4;
  }
  while (r.pos() < end) {
    uint8_t kind = 0;
    if (!r.u8(kind)) return fail("MongoDB section cut short");
    const std::string_view rest = bytes.substr(r.pos(), end - r.pos());
    Reader size_reader(rest);
    int32_t size = 0;
    if (!size_reader.le32(size) || size < 5 || static_cast<size_t>(size) > rest.size()) {
      return fail("MongoDB section length is bad");
    }
    if (kind == 0) return parse_document(rest.substr(0, static_cast<size_t>(size)), 0);
    if (kind != 1) return fail("MongoDB section of an unknown kind");
    (void)r.skip(static_cast<size_t>(size));  // a document sequence: not what we read
  }
  return fail("MongoDB message has no body section");
}

Result<MongoCommandReply> parse_mongo_command_reply(std::string_view bytes) {
  auto body = parse_op_msg_body(bytes);
  if (!body) return Unexpected(body.error());
  MongoCommandReply reply;
  if (const auto* ok = find_in(*body, "ok"); ok && is_number(*ok)) reply.ok = ok->number > 0.5;
  if (const auto* code = find_in(*body, "code"); code && is_number(*code)) {
    reply.code = static_cast<int64_t>(code->number);
  }
  if (const auto* name = find_in(*body, "codeName");
      name && name->type == BsonElement::Type::kString) {
    reply.code_name = name->text;
  }
  if (const auto* msg = find_in(*body, "errmsg"); msg && msg->type == BsonElement::Type::kString) {
    reply.errmsg = msg->text;
  }
  if (const auto* dbs = find_in(*body, "databases");
      dbs && dbs->type == BsonElement::Type::kArray) {
    for (const auto& db : dbs->children) {
      if (const auto* n = db.find("name"); n && n->type == BsonElement::Type::kString)
        reply.databases.push_back(n->text);
    }
  }
  return reply;
}

}  // namespace portolan::audit
