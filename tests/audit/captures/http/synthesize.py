#!/usr/bin/env python3
# Writes the synthetic captures (servers that Debian does not package:
# MongoDB, Elasticsearch, Docker Engine, Kubernetes), built from the
# protocols' public documentation, and an HTTP Digest challenge (RFC 7616
# section 3.9.1's example). Run from tests/audit/captures/: python3 http/synthesize.py
import json
import struct


def http(status, reason, headers, body):
    if isinstance(body, (dict, list)):
        body = json.dumps(body, indent=2) + "\n"
    body = body.encode()
    head = f"HTTP/1.1 {status} {reason}\r\n"
    for k, v in headers:
        head += f"{k}: {v}\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# --- BSON (bsonspec.org) and OP_MSG (MongoDB wire protocol, opcode 2013) ---
def bson_cstring(s):
    return s.encode() + b"\0"


def bson_element(name, value):
    if isinstance(value, bool):
        return b"\x08" + bson_cstring(name) + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        return b"\x10" + bson_cstring(name) + struct.pack("<i", value)
    if isinstance(value, float):
        return b"\x01" + bson_cstring(name) + struct.pack("<d", value)
    if isinstance(value, str):
        raw = value.encode() + b"\0"
        return b"\x02" + bson_cstring(name) + struct.pack("<i", len(raw)) + raw
    if isinstance(value, list):
        return b"\x04" + bson_cstring(name) + bson_doc({str(i): v for i, v in enumerate(value)})
    if isinstance(value, dict):
        return b"\x03" + bson_cstring(name) + bson_doc(value)
    raise TypeError(value)


def bson_doc(d):
    body = b"".join(bson_element(k, v) for k, v in d.items())
    return struct.pack("<i", len(body) + 5) + body + b"\0"


def op_msg(request_id, response_to, doc):
    payload = struct.pack("<I", 0) + b"\x00" + bson_doc(doc)
    return struct.pack("<iiii", 16 + len(payload), request_id, response_to, 2013) + payload


write("mongodb/listdatabases-open.bin", op_msg(77, 1, {
    "databases": [{"name": "admin"}, {"name": "config"}, {"name": "local"}, {"name": "shop"}],
    "ok": 1.0}))
write("mongodb/listdatabases-unauthorized.bin", op_msg(78, 1, {
    "ok": 0.0,
    "errmsg": "command listDatabases requires authentication",
    "code": 13,
    "codeName": "Unauthorized"}))

# --- Elasticsearch REST API ---
es_root = {
    "name": "node-1",
    "cluster_name": "elasticsearch",
    "cluster_uuid": "aW5zZWN1cmUtY2x1c3Rlcg",
    "version": {"number": "7.17.10", "build_flavor": "default", "lucene_version": "8.11.1"},
    "tagline": "You Know, for Search",
}
es_headers = [("X-elastic-product", "Elasticsearch"), ("content-type", "application/json; charset=UTF-8")]
write("http/elasticsearch-root-open.http", http(200, "OK", es_headers, es_root))
write("http/elasticsearch-cat-indices-open.http", http(200, "OK", es_headers, [
    {"health": "yellow", "status": "open", "index": "customers", "pri": "1", "rep": "1",
     "docs.count": "1042", "store.size": "1.2mb"}]))
write("http/elasticsearch-root-secured.http", http(401, "Unauthorized", [
    ("WWW-Authenticate", 'Basic realm="security" charset="UTF-8"'),
    ("WWW-Authenticate", "ApiKey"),
    ("content-type", "application/json")], {
    "error": {"root_cause": [{"type": "security_exception",
                              "reason": "missing authentication credentials for REST request [/]"}],
              "type": "security_exception",
              "reason": "missing authentication credentials for REST request [/]"},
    "status": 401}))

# --- Docker Engine API (GET /version) ---
write("http/docker-version-open.http", http(200, "OK", [
    ("Api-Version", "1.43"), ("Content-Type", "application/json"), ("Docker-Experimental", "false"),
    ("Ostype", "linux"), ("Server", "Docker/24.0.7 (linux)")], {
    "Platform": {"Name": "Docker Engine - Community"},
    "Version": "24.0.7", "ApiVersion": "1.43", "MinAPIVersion": "1.12", "GitCommit": "311b9ff",
    "GoVersion": "go1.20.10", "Os": "linux", "Arch": "amd64", "KernelVersion": "6.1.0-13-amd64"}))
write("http/docker-version-authz-denied.http", http(403, "Forbidden", [
    ("Api-Version", "1.43"), ("Content-Type", "application/json"), ("Server", "Docker/24.0.7 (linux)")],
    {"message": "authorization denied by plugin opa-docker-authz: request rejected by administrative policy"}))

# --- Kubernetes API server and kubelet ---
write("http/kubernetes-namespaces-open.http", http(200, "OK", [
    ("Audit-Id", "6c1d2c1c-0d5e-4b8e-9a59-1f0e7e2f5a11"), ("Cache-Control", "no-cache, private"),
    ("Content-Type", "application/json")], {
    "kind": "NamespaceList", "apiVersion": "v1", "metadata": {"resourceVersion": "4242"},
    "items": [{"metadata": {"name": "default"}}, {"metadata": {"name": "kube-system"}}]}))
write("http/kubernetes-namespaces-forbidden.http", http(403, "Forbidden", [
    ("Cache-Control", "no-cache, private"), ("Content-Type", "application/json"),
    ("X-Content-Type-Options", "nosniff")], {
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "namespaces is forbidden: User \"system:anonymous\" cannot list resource "
               "\"namespaces\" in API group \"\" at the cluster scope",
    "reason": "Forbidden", "details": {"kind": "namespaces"}, "code": 403}))
write("http/kubernetes-namespaces-unauthorized.http", http(401, "Unauthorized", [
    ("Cache-Control", "no-cache, private"), ("Content-Type", "application/json")], {
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": "Unauthorized", "reason": "Unauthorized", "code": 401}))
write("http/kubernetes-kubelet-pods-open.http", http(200, "OK", [("Content-Type", "application/json")], {
    "kind": "PodList", "apiVersion": "v1", "metadata": {},
    "items": [{"metadata": {"name": "coredns-5d78c9869d-abcde", "namespace": "kube-system"}}]}))
write("http/kubernetes-kubelet-pods-unauthorized.http",
      http(401, "Unauthorized", [("Content-Type", "text/plain; charset=utf-8")], "Unauthorized\n"))

# --- HTTP Digest challenge (RFC 7616 section 3.9.1) ---
write("http/digest-challenge.http", http(401, "Unauthorized", [
    ("WWW-Authenticate", 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, '
     'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'),
    ("Content-Type", "text/html")], "<html><body>401 Unauthorized</body></html>\n"))
