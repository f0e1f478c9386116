#include "portolan/service/service_detector.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

#include "portolan/service/probe_plan.h"
#include "portolan/service/signature_matcher.h"
#include "portolan/service/starttls.h"
#include "portolan/service/tls_session.h"
#include "portolan/service/version_template.h"

namespace portolan {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kFingerprintBytes = 600;

struct Job;

// One socket: a probe (or a pinned TLS handshake) and its answer.
struct Conn {
  uint64_t id = 0;  // the epoll key: a closed connection's late event finds nothing
  Job* job = nullptr;
  const ServiceProbe* probe = nullptr;  // null probe, a payload probe, or the tls probe
  int pin = -1;                         // >= 0: a TLS version check (no probe)
  bool banner_lane = false;             // the connection waiting for a banner
  bool use_tls = false;                 // handshake before the probe
  int fd = -1;
  std::unique_ptr<TlsSession> tls;
  // kUpgrade: a STARTTLS exchange in plain text before the handshake.
  enum class State {
    kConnecting,
    kUpgrade,
    kHandshake,
    kSending,
    kReading
  } state = State::kConnecting;
  const StartTlsScript* starttls = nullptr;
  size_t step = 0;
  size_t sent = 0;
  std::string response;
  Clock::time_point deadline{};
  Clock::time_point last_data{};
  bool handshake_ok = false;
  std::optional<TlsInfo> tls_info;  // read when the handshake finished
  bool peer_closed = false;
  bool refused = false;
  bool timed_out = false;
  uint32_t events = 0;  // registered epoll events
};

struct Job {
  HostResult* host = nullptr;
  PortResult* port = nullptr;
  std::string sni;
  ProbeTransport transport = ProbeTransport::kTcp;
  Clock::time_point deadline{};
  bool in_tls = false;
  bool tls_probe_started = false;
  bool starttls_started = false;
  std::vector<const ServiceProbe*> plan;
  size_t next = 0;
  std::optional<ServiceMatch> hard, soft;
  std::optional<TlsInfo> tls;
  int next_pin = 0;
  std::vector<Conn*> conns;
  bool done = false;
  std::string first_probe, first_response;
  int empty_closes = 0;
  int answers = 0;
  bool udp_answered = false, udp_refused = false;
};

class EpollDetector final : public ServiceDetector {
 public:
  EpollDetector(const ServiceDetectOptions& o, std::shared_ptr<const ServiceDb> db,
                std::shared_ptr<TlsContext> tls, int epfd)
      : opt_(o), db_(std::move(db)), matcher_(db_), tls_ctx_(std::move(tls)), epfd_(epfd) {
    tls_probe_ = db_->probe("tls");
    null_probe_ = db_->probe("null");
  }
  ~EpollDetector() override { ::close(epfd_); }

  void detect(std::span<HostResult> hosts) override;
  ServiceDetectStats stats() const override { return stats_; }

 private:
  void start_job(Job& job);
  void banner_lane(Job& job);
  void probe_lane(Job& job);
  void open_conn(Job& job, const ServiceProbe* probe, int pin, bool banner,
                 const StartTlsScript* starttls = nullptr);
  void do_upgrade(Conn* c);
  void fail_conn(Conn* c);
  void on_event(Conn* c, uint32_t ev);
  void advance(Conn* c);
  void do_read(Conn* c);
  void complete(Conn* c);
  void on_answer(Job& job, Conn& c);
  void enter_tls(Job& job, const Conn& c);
  void finish(Job& job);
  void close_conn(Conn* c);
  void detach(Conn* c);
  void forget(Conn* c);
  void discard(Conn* c);
  void watch(Conn* c, uint32_t ev);
  milliseconds wait_for(const ServiceProbe* p) const;
  void trace(const std::string& line) const {
    if (opt_.trace) opt_.trace(line);
  }
  std::string label(const Job& j) const {
    return fmt::format("{}:{}/{}", j.host->address.to_string(), j.port->port,
                       j.transport == ProbeTransport::kTcp ? "tcp" : "udp");
  }

  ServiceDetectOptions opt_;
  std::shared_ptr<const ServiceDb> db_;
  SignatureMatcher matcher_;
  std::shared_ptr<TlsContext> tls_ctx_;
  int epfd_;
  const ServiceProbe* tls_probe_ = nullptr;
  const ServiceProbe* null_probe_ = nullptr;
  std::list<Conn> conns_;
  std::unordered_map<uint64_t, Conn*> live_;
  uint64_t next_id_ = 1;
  size_t open_conns_ = 0;
  ServiceDetectStats stats_;
};

milliseconds EpollDetector::wait_for(const ServiceProbe* p) const {
  milliseconds w{p ? p->wait_ms : 3000};
  if (opt_.max_wait.count() > 0) w = std::min(w, opt_.max_wait);
  return w;
}

void EpollDetector::watch(Conn* c, uint32_t ev) {
  if (c->events == ev) return;
  epoll_event e{};
  e.events = ev;
  e.data.u64 = c->id;
  epoll_ctl(epfd_, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &e);
  c->events = ev;
}

void EpollDetector::open_conn(Job& job, const ServiceProbe* probe, int pin, bool banner,
                              const StartTlsScript* starttls) {
  conns_.emplace_back();
  Conn* c = &conns_.back();
  c->id = next_id_++;
  live_.emplace(c->id, c);
  c->job = &job;
  c->probe = probe;
  c->pin = pin;
  c->banner_lane = banner;
  c->starttls = starttls;
  c->use_tls = pin >= 0 || (probe && probe->tls_handshake) || job.in_tls || starttls;
  job.conns.push_back(c);
  ++stats_.connections;
  const bool udp = job.transport == ProbeTransport::kUdp;
  sockaddr_storage sa{};
  const socklen_t len = job.host->address.to_sockaddr(job.port->port, sa);
  c->fd =
      ::socket(sa.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    fail_conn(c);
    return;
  }
  ++open_conns_;
  if (!udp) {
    const int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  const int r = ::connect(c->fd, reinterpret_cast<const sockaddr*>(&sa), len);
  if (r < 0 && errno != EINPROGRESS) {
    c->refused = errno == ECONNREFUSED;
    fail_conn(c);
    return;
  }
  c->deadline = Clock::now() + wait_for(c->use_tls && !job.in_tls ? tls_probe_ : probe);
  if (udp) {
    c->state = Conn::State::kSending;
    advance(c);
    return;
  }
  watch(c, EPOLLOUT);
}

void EpollDetector::fail_conn(Conn* c) {
  complete(c);
}

void EpollDetector::close_conn(Conn* c) {
  live_.erase(c->id);
  if (c->fd >= 0) {
    c->tls.reset();
    ::close(c->fd);  // also removes it from the epoll set
    c->fd = -1;
    --open_conns_;
  }
}

// Closes `c` and takes it off its job's list; the object stays in conns_.
void EpollDetector::detach(Conn* c) {
  close_conn(c);
  auto& list = c->job->conns;
  list.erase(std::remove(list.begin(), list.end(), c), list.end());
}

// Frees a detached connection; `c` dangles afterwards.
void EpollDetector::forget(Conn* c) {
  conns_.remove_if([c](const Conn& x) { return &x == c; });
}

void EpollDetector::discard(Conn* c) {
  detach(c);
  forget(c);
}

void EpollDetector::advance(Conn* c) {
  Job& job = *c->job;
  for (;;) {
    switch (c->state) {
      case Conn::State::kConnecting: {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err != 0) {
          c->refused = err == ECONNREFUSED;
          complete(c);
          return;
        }
        if (c->starttls) {
          c->state = Conn::State::kUpgrade;
          watch(c, EPOLLIN);
          return;
        }
        if (c->use_tls) {
          auto s = TlsSession::create(*tls_ctx_, c->fd, job.sni, c->pin);
          if (!s) {
            complete(c);
            return;
          }
          c->tls = std::move(*s);
          c->state = Conn::State::kHandshake;
        } else {
          c->state = Conn::State::kSending;
        }
        continue;
      }
      case Conn::State::kHandshake: {
        const auto io = c->tls->handshake();
        if (io == TlsSession::Io::kWantRead) return watch(c, EPOLLIN);
        if (io == TlsSession::Io::kWantWrite) return watch(c, EPOLLOUT);
        if (io != TlsSession::Io::kDone) {
          complete(c);
          return;
        }
        c->handshake_ok = true;
        if (c->starttls || (c->probe && c->probe->tls_handshake)) c->tls_info = c->tls->info();
        ++stats_.tls_sessions;
        if (c->pin >= 0 || c->starttls || (c->probe && c->probe->tls_handshake)) {
          complete(c);
          return;
        }
        c->state = Conn::State::kSending;
        c->deadline = Clock::now() + wait_for(c->probe);
        continue;
      }
      case Conn::State::kSending: {
        const std::string& payload = c->probe ? c->probe->payload : std::string();
        while (c->sent < payload.size()) {
          const std::string_view rest = std::string_view(payload).substr(c->sent);
          size_t n = 0;
          if (c->tls) {
            const auto io = c->tls->write(rest, n);
            if (io == TlsSession::Io::kWantRead) return watch(c, EPOLLIN);
            if (io == TlsSession::Io::kWantWrite) return watch(c, EPOLLOUT);
            if (io != TlsSession::Io::kDone) {
              c->peer_closed = true;
              complete(c);
              return;
            }
          } else {
            const ssize_t w = ::send(c->fd, rest.data(), rest.size(), MSG_NOSIGNAL);
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return watch(c, EPOLLOUT);
            if (w < 0) {
              c->refused = errno == ECONNREFUSED;
              c->peer_closed = true;
              complete(c);
              return;
            }
            n = static_cast<size_t>(w);
          }
          c->sent += n;
        }
        if (c->probe && !c->probe->payload.empty()) {
          ++stats_.probes_sent;
          trace(fmt::format("{}: sent probe {} ({} bytes{})", label(job), c->probe->name,
                            c->probe->payload.size(), c->tls ? ", in TLS" : ""));
        }
        c->state = Conn::State::kReading;
        c->deadline = Clock::now() + wait_for(c->probe);
        watch(c, EPOLLIN);
        // TLS may already hold decrypted bytes that epoll cannot see.
        if (c->tls) do_read(c);
        return;
      }
      case Conn::State::kUpgrade:
        do_upgrade(c);
        return;
      case Conn::State::kReading:
        do_read(c);
        return;
    }
  }
}

void EpollDetector::do_read(Conn* c) {
  Job& job = *c->job;
  char buf[4096];
  for (;;) {
    const size_t room = opt_.max_response - std::min(opt_.max_response, c->response.size());
    if (room == 0) {
      complete(c);  // enough: the endless banner is cut here
      return;
    }
    size_t got = 0;
    if (c->tls) {
      const auto io = c->tls->read(buf, std::min(room, sizeof buf), got);
      if (io == TlsSession::Io::kWantRead) break;
      if (io == TlsSession::Io::kWantWrite) {
        watch(c, EPOLLOUT);
        break;
      }
      if (io != TlsSession::Io::kDone) {
        c->peer_closed = true;
        complete(c);
        return;
      }
    } else {
      const ssize_t r = ::recv(c->fd, buf, std::min(room, sizeof buf), 0);
      if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (r < 0) {
        c->refused = errno == ECONNREFUSED;
        c->peer_closed = true;
        complete(c);
        return;
      }
      if (r == 0) {
        c->peer_closed = true;
        complete(c);
        return;
      }
      got = static_cast<size_t>(r);
    }
    c->response.append(buf, got);
    c->last_data = Clock::now();
    if (job.transport == ProbeTransport::kUdp) {
      complete(c);  // one datagram is the whole answer
      return;
    }
  }
  if (!c->response.empty()) {
    // A hard match needs no more bytes.
    const auto m = matcher_.match(c->response, c->probe ? c->probe->name : "");
    if (m && !m->soft) {
      complete(c);
      return;
    }
  }
  if (c->events != EPOLLIN && c->state == Conn::State::kReading) watch(c, EPOLLIN);
}

void EpollDetector::do_upgrade(Conn* c) {
  char buf[2048];
  for (;;) {
    const ssize_t r = ::recv(c->fd, buf, sizeof buf, 0);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (r <= 0 || c->response.size() + static_cast<size_t>(r) > 8192) {
      c->peer_closed = r == 0;
      complete(c);  // closed, failed, or a reply too long to be a STARTTLS answer
      return;
    }
    c->response.append(buf, static_cast<size_t>(r));
  }
  const StartTlsStep& step = c->starttls->steps[c->step];
  switch (starttls_reply(c->response, step.expect)) {
    case StartTlsReply::kIncomplete:
      return;
    case StartTlsReply::kNo:
      trace(fmt::format("{}: STARTTLS refused: {}", label(*c->job), printable(c->response)));
      complete(c);
      return;
    case StartTlsReply::kYes:
      break;
  }
  c->response.clear();
  ++c->step;
  c->deadline = Clock::now() + wait_for(nullptr);
  if (step.send.empty()) {
    auto session = TlsSession::create(*tls_ctx_, c->fd, c->job->sni);
    if (!session) {
      complete(c);
      return;
    }
    c->tls = std::move(*session);
    c->state = Conn::State::kHandshake;
    advance(c);
    return;
  }
  // A command of a few bytes fits any socket buffer; a short send is a failure.
  if (::send(c->fd, step.send.data(), step.send.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(step.send.size())) {
    complete(c);
  }
}

void EpollDetector::complete(Conn* c) {
  Job& job = *c->job;
  detach(c);
  if (!job.done) on_answer(job, *c);
  forget(c);
}

void EpollDetector::on_answer(Job& job, Conn& c) {
  if (c.timed_out) ++stats_.timeouts;
  if (c.refused && job.transport == ProbeTransport::kUdp) job.udp_refused = true;
  if (c.starttls) {
    if (c.handshake_ok && c.tls_info) {
      job.tls = *c.tls_info;
      job.tls->starttls = true;
      trace(
          fmt::format("{}: STARTTLS to {} ({})", label(job), job.tls->negotiated, job.tls->cipher));
    }
  } else if (c.pin >= 0) {
    if (c.handshake_ok && job.tls) job.tls->versions.emplace_back(kTlsVersionNames[c.pin]);
    if (job.next_pin < 4 && !c.refused) {
      open_conn(job, nullptr, job.next_pin++, false);
    } else {
      job.next_pin = 4;
    }
  } else if (c.probe && c.probe->tls_handshake && !job.in_tls) {
    if (c.handshake_ok) {
      enter_tls(job, c);
      return;
    }
    trace(fmt::format("{}: no TLS handshake ({})", label(job),
                      c.timed_out ? "no answer"
                      : c.refused ? "refused"
                                  : "failed"));
    probe_lane(job);
  } else {
    const std::string_view probe_name = c.probe ? std::string_view(c.probe->name) : "null";
    if (!c.response.empty()) {
      ++job.answers;
      if (job.transport == ProbeTransport::kUdp) job.udp_answered = true;
      if (job.first_response.empty()) {
        job.first_probe = std::string(probe_name);
        job.first_response = c.response.substr(0, kFingerprintBytes);
      }
    } else if (c.peer_closed) {
      ++job.empty_closes;
    }
    auto m = matcher_.match(c.response, probe_name);
    if (m) {
      trace(fmt::format("{}: probe {} matched {} signature {} ({})", label(job), probe_name,
                        m->soft ? "soft" : "hard", m->signature->id, m->service));
    }
    if (m && m->tunnel_tls && !job.in_tls) {
      if (!job.tls_probe_started && tls_probe_) {
        job.tls_probe_started = true;
        open_conn(job, tls_probe_, -1, false);
      }
    } else if (m && !m->soft) {
      ++stats_.hard_matches;
      job.hard = std::move(m);
      // The TLS version checks still running get to finish; nothing else does.
      for (Conn* other : std::vector<Conn*>(job.conns)) {
        if (other->pin >= 0) continue;
        discard(other);
      }
      // A mail service that may upgrade: read its certificate through STARTTLS.
      const StartTlsScript* script = starttls_script(job.hard->service);
      if (script && !job.in_tls && !job.starttls_started && opt_.tls_versions) {
        job.starttls_started = true;
        open_conn(job, nullptr, -1, false, script);
      }
      if (job.conns.empty()) finish(job);
      return;
    } else if (m && !job.soft) {
      ++stats_.soft_matches;
      job.soft = std::move(m);
      std::vector<const ServiceProbe*> rest(job.plan.begin() + static_cast<long>(job.next),
                                            job.plan.end());
      job.plan.resize(job.next);
      for (const auto* p : narrow_to_service(rest, job.soft->service)) job.plan.push_back(p);
    }
    if (!c.banner_lane) probe_lane(job);
  }
  if (job.conns.empty()) finish(job);
}

void EpollDetector::enter_tls(Job& job, const Conn& c) {
  job.in_tls = true;
  job.tls = c.tls_info ? *c.tls_info : TlsInfo{};
  trace(fmt::format("{}: TLS {} ({}); detecting inside TLS", label(job), job.tls->negotiated,
                    job.tls->cipher));
  // What the plain connections learn no longer applies.
  for (Conn* other : std::vector<Conn*>(job.conns)) discard(other);
  job.soft.reset();
  job.first_response.clear();
  job.plan = plan_probes(*db_, {job.transport, job.port->port, opt_.intensity, true});
  job.next = 0;
  job.next_pin = opt_.tls_versions ? 0 : 4;
  start_job(job);
  if (job.next_pin < 4) open_conn(job, nullptr, job.next_pin++, false);
}

void EpollDetector::banner_lane(Job& job) {
  if (null_probe_ && job.transport == ProbeTransport::kTcp) open_conn(job, null_probe_, -1, true);
}

void EpollDetector::probe_lane(Job& job) {
  if (job.done || job.hard || job.next >= job.plan.size()) return;
  const ServiceProbe* p = job.plan[job.next++];
  if (p->tls_handshake) {
    if (job.tls_probe_started) return probe_lane(job);
    job.tls_probe_started = true;
  }
  open_conn(job, p, -1, false);
}

void EpollDetector::start_job(Job& job) {
  banner_lane(job);
  if (!job.done) probe_lane(job);
  if (!job.done && job.conns.empty()) finish(job);
}

void EpollDetector::finish(Job& job) {
  if (job.done) return;
  job.done = true;
  if (opt_.progress) opt_.progress->services_done.fetch_add(1, std::memory_order_relaxed);
  for (Conn* c : std::vector<Conn*>(job.conns)) discard(c);

  PortResult& port = *job.port;
  auto info =
      port.service ? std::make_shared<ServiceInfo>(*port.service) : std::make_shared<ServiceInfo>();
  const ServiceMatch* m = job.hard ? &*job.hard : job.soft ? &*job.soft : nullptr;
  if (m) {
    info->name = m->service;
    info->method = "probed";
    info->conf = 10;
    info->product = m->product;
    info->version = m->version;
    info->extra_info = m->info;
    info->host_name = m->host_name;
    info->os_type = m->os_type;
    info->device_type = m->device_type;
    info->cpe = m->cpe;
  } else if (job.in_tls) {
    if (info->name.empty() || info->name == "unknown") info->name = "ssl";
    info->method = "probed";
    info->conf = 10;
  } else if (job.answers == 0 && job.empty_closes >= 2 && job.transport == ProbeTransport::kTcp) {
    info->name = "tcpwrapped";
    info->method = "probed";
    info->conf = 8;
  }
  if (!m && job.answers > 0 && !job.first_response.empty()) {
    info->fingerprint = fmt::format("{}:{}", job.first_probe, printable(job.first_response));
  }
  if (job.in_tls) info->tunnel = "ssl";
  if (job.tls) info->tls = job.tls;
  port.service = std::move(info);
  if (job.transport == ProbeTransport::kUdp) {
    if (job.udp_answered && port.state != PortState::kOpen) {
      port.state = PortState::kOpen;
      port.reason = Reason::kUdpResponse;
    } else if (job.udp_refused && !job.udp_answered) {
      port.state = PortState::kClosed;
      port.reason = Reason::kPortUnreach;
    }
  }
}

void EpollDetector::on_event(Conn* c, uint32_t ev) {
  (void)ev;
  advance(c);
}

void EpollDetector::detect(std::span<HostResult> hosts) {
  std::deque<Job> jobs;
  for (auto& host : hosts) {
    if (host.state != HostState::kUp) continue;
    for (auto& port : host.ports) {
      const bool tcp = port.protocol == Protocol::kTcp && port.state == PortState::kOpen;
      const bool udp = port.protocol == Protocol::kUdp &&
                       (port.state == PortState::kOpen || port.state == PortState::kOpenFiltered);
      if (!tcp && !udp) continue;
      Job& job = jobs.emplace_back();
      job.host = &host;
      job.port = &port;
      job.transport = tcp ? ProbeTransport::kTcp : ProbeTransport::kUdp;
      if (!host.hostnames.empty()) job.sni = host.hostnames.front().name;
    }
  }
  stats_.ports += jobs.size();
  if (opt_.progress)
    opt_.progress->services_total.fetch_add(jobs.size(), std::memory_order_relaxed);
  // Two sockets per port at most, so this many ports run at once.
  const size_t parallel_ports = static_cast<size_t>(std::max(1, opt_.max_connections / 2));
  size_t started = 0, finished = 0;
  std::vector<Job*> running;
  epoll_event events[64];
  while (finished < jobs.size()) {
    const bool stopping = opt_.stop && opt_.stop->load(std::memory_order_relaxed);
    while (!stopping && running.size() < parallel_ports && started < jobs.size()) {
      Job& job = jobs[started++];
      job.deadline = Clock::now() + opt_.port_timeout;
      job.plan = plan_probes(*db_, {job.transport, job.port->port, opt_.intensity, false});
      running.push_back(&job);
      start_job(job);
    }
    if (stopping) {
      for (Job* j : running) finish(*j);
      finished += running.size() + (jobs.size() - started);
      running.clear();
      break;
    }
    // Retire finished ports.
    for (auto it = running.begin(); it != running.end();) {
      if ((*it)->done) {
        ++finished;
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    if (running.empty()) continue;

    auto now = Clock::now();
    auto next = now + milliseconds(200);
    for (Job* j : running) {
      next = std::min(next, j->deadline);
      for (Conn* c : j->conns) {
        next = std::min(next, c->deadline);
        if (c->state == Conn::State::kReading && !c->response.empty()) {
          next = std::min(next, c->last_data + opt_.idle_after_data);
        }
      }
    }
    const auto wait = std::chrono::duration_cast<milliseconds>(next - now).count();
    const int n = epoll_wait(epfd_, events, 64, static_cast<int>(std::max<int64_t>(0, wait) + 1));
    for (int i = 0; i < n; ++i) {
      // A connection closed earlier in this batch is gone; its event finds nothing.
      auto it = live_.find(events[i].data.u64);
      if (it != live_.end()) on_event(it->second, events[i].events);
    }
    now = Clock::now();
    for (Job* j : running) {
      if (j->done) continue;
      if (now >= j->deadline) {
        ++stats_.ports_timed_out;
        trace(fmt::format("{}: port timeout, stopping", label(*j)));
        finish(*j);
        continue;
      }
      for (Conn* c : std::vector<Conn*>(j->conns)) {
        if (j->done) break;
        const bool idle = c->state == Conn::State::kReading && !c->response.empty() &&
                          now >= c->last_data + opt_.idle_after_data;
        if (now >= c->deadline || idle) {
          c->timed_out = !idle;
          complete(c);
        }
      }
    }
  }
}

}  // namespace

Result<std::unique_ptr<ServiceDetector>> ServiceDetector::create(
    const ServiceDetectOptions& options) {
  std::shared_ptr<const ServiceDb> db = options.db;
  if (!db) {
    auto builtin = ServiceDb::builtin();
    if (!builtin) return Unexpected(builtin.error().with_context("built-in service database"));
    db = *builtin;
  }
  if (options.intensity < 0 || options.intensity > 9) {
    return fail("--version-intensity must be between 0 and 9");
  }
  auto tls = TlsContext::create();
  if (!tls) return Unexpected(tls.error());
  const int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return fail(ErrorKind::kResource, "cannot create an epoll instance");
  return std::unique_ptr<ServiceDetector>(
      std::make_unique<EpollDetector>(options, std::move(db), std::move(*tls), epfd));
}

}  // namespace portolan
