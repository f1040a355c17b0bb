// CurlClient: libcurl multi_socket driven by Boost.Asio on one io_context (FETCHER.md §6).
//
// - Every fd curl reports through CURLMOPT_SOCKETFUNCTION gets a Watch (including fds curl did
//   not open through a socket callback, such as the threaded resolver's socketpair). The Watch
//   only assign()s and release()s the fd: curl owns and closes it.
// - Watches are looked up by fd and carry an id and per-direction sequence numbers, so a wait
//   handler that completes after its Watch was removed, replaced (fd reuse) or re-armed is a no-op.
// - Curl callbacks never call back into curl_multi_socket_action. A 0 ms timeout is posted to
//   the io_context (it runs on a later loop turn); a longer one arms the timer. Each timeout
//   replaces the one before: a posted one whose turn comes after a newer timeout is a no-op.
// - User callbacks are always posted to the io_context, never run inside curl or inside Fetch().

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <clocale>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "fetchers/asio.h"
#include "fetchers/curl_lib.h"
#include "fetchers/http_client.h"
#include "fetchers/transfer.h"

namespace newsd::fetchers {
namespace {

using internal::Curl;
using internal::Endpoint;
using internal::LoadCurl;
using internal::ResolveProxyEndpoints;
using internal::Transfer;

// The binary registers the module's logger (so that spdlog::set_level reaches it); until then,
// the default one.
std::shared_ptr<spdlog::logger> FetchersLogger() {
  if (auto logger = spdlog::get("fetchers")) return logger;
  return spdlog::default_logger();
}

Status InitCurlOnce() {
  if (Status s = LoadCurl(); !s.ok()) return s;
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] {
    // libcurl turns an international host name ("пример.рф") into its ASCII form with
    // libidn2, which reads the name in the locale's character set: under the C locale a
    // service runs in, every such feed failed as "URL using bad/illegal format". The config
    // is UTF-8 (TOML), so is the character type (C.UTF-8 is on every Debian system).
    if (std::string_view(std::setlocale(LC_CTYPE, nullptr)) == "C") {
      std::setlocale(LC_CTYPE, "C.UTF-8");
    }
    rc = Curl().global_init(CURL_GLOBAL_DEFAULT);
  });
  if (rc != CURLE_OK) {
    return Status::Internal(std::string("curl_global_init: ") + Curl().easy_strerror(rc));
  }
  return Status::Ok();
}

class CurlClient final : public HttpClient {
 public:
  CurlClient(asio::io_context& io, const Options& options)
      : io_(io),
        options_(options),
        // Only the address check needs them (with allow_private every address passes), so
        // no name is resolved otherwise.
        proxies_(options.allow_private ? std::vector<Endpoint>{}
                                       : ResolveProxyEndpoints(options.proxy)),
        timer_(io),
        log_(FetchersLogger()) {}
  ~CurlClient() override;
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  Status Init();
  void Fetch(FetchRequest request, Callback done) override;
  size_t InFlight() const override { return transfers_.size(); }
  void CancelAll() override;

 private:
  // One fd curl asked us to watch.
  struct Watch {
    Watch(asio::io_context& io, uint64_t watch_id) : sd(io), id(watch_id) {}
    asio::posix::stream_descriptor sd;
    uint64_t id;
    int wanted = 0;         // CURL_POLL_IN / OUT / INOUT
    bool failed = false;    // a wait reported a hard error: stop re-arming
    bool reading = false;   // an async_wait(wait_read) is pending
    bool writing = false;   // an async_wait(wait_write) is pending
    uint64_t read_seq = 0;  // bumped at every arm/cancel; stale handlers see a mismatch
    uint64_t write_seq = 0;
  };

  static int OnSocket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int OnTimer(CURLM* multi, long timeout_ms, void* self);
  void UpdateWatch(curl_socket_t fd, int what);
  void RemoveWatch(curl_socket_t fd);
  void Arm(curl_socket_t fd, Watch& w);
  void OnReady(curl_socket_t fd, uint64_t id, bool write, uint64_t seq,
               const boost::system::error_code& ec);
  void OnTimeout();
  // Runs OnTimeout on a later loop turn unless a newer timeout than the one numbered `seq`
  // comes first; at most one is posted at a time.
  void PostTimeout(uint64_t seq);
  void SocketAction(curl_socket_t fd, int events);
  void DrainCompletions();
  /// For a transfer that failed on the Content-Encoding `coding` names, which libcurl does
  /// not decode: the same request again, without compression, its body taken as sent (the
  /// servers that do so send a plain body under a wrong header: "UTF-8", "aws-chunked").
  void AskAgainAsSent(Transfer& t, std::string coding);
  void Deliver(Callback done, FetchResult result);
  void RemoveAllHandles(bool deliver_aborted);

  asio::io_context& io_;
  const Options options_;
  const std::vector<Endpoint> proxies_;  // resolved once; transfers hold a reference
  asio::steady_timer timer_;
  // Bumped by every OnTimer; zero_seq_ is the value it had at the last 0 ms one. The posted
  // 0 ms timeout runs only if that is still the latest (each timeout replaces the one before).
  uint64_t timeout_seq_ = 0;
  uint64_t zero_seq_ = 0;
  bool timeout_posted_ = false;  // a 0 ms timeout is posted and has not run yet
  std::shared_ptr<spdlog::logger> log_;
  CURLM* multi_ = nullptr;
  bool closing_ = false;
  uint64_t next_watch_id_ = 1;
  std::unordered_map<curl_socket_t, std::unique_ptr<Watch>> watches_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> transfers_;
  // Handlers hold a weak_ptr to this token; once it is gone the client is gone.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

Status CurlClient::Init() {
  if (Status s = InitCurlOnce(); !s.ok()) return s;
  multi_ = Curl().multi_init();
  if (multi_ == nullptr) return Status::Internal("curl_multi_init failed");
  CURLMcode rc = CURLM_OK;
  auto set = [&](CURLMoption opt, auto value) {
    if (rc == CURLM_OK) rc = Curl().multi_setopt(multi_, opt, value);
  };
  set(CURLMOPT_SOCKETFUNCTION, &CurlClient::OnSocket);
  set(CURLMOPT_SOCKETDATA, static_cast<void*>(this));
  set(CURLMOPT_TIMERFUNCTION, &CurlClient::OnTimer);
  set(CURLMOPT_TIMERDATA, static_cast<void*>(this));
  if (options_.max_total_connections > 0) {
    set(CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_total_connections);
  }
  if (rc != CURLM_OK) {
    return Status::Internal(std::string("curl_multi_setopt: ") + Curl().multi_strerror(rc));
  }
  return Status::Ok();
}

CurlClient::~CurlClient() {
  try {
    // Callbacks of transfers still in flight are dropped: their owners may be gone too.
    RemoveAllHandles(/*deliver_aborted=*/false);
    // Release every watch before curl closes its cached connections in curl_multi_cleanup.
    for (auto& [fd, w] : watches_) {
      boost::system::error_code ignored;
      w->sd.cancel(ignored);
      w->sd.release();
    }
    watches_.clear();
    closing_ = true;  // curl_multi_cleanup may still call OnSocket/OnTimer
    timer_.cancel();
  } catch (...) {
    // Only allocation failures can get here; tear down regardless.
    closing_ = true;
  }
  if (multi_ != nullptr) Curl().multi_cleanup(multi_);
}

void CurlClient::Fetch(FetchRequest request, Callback done) {
  const std::string url = request.url;
  auto transfer = Transfer::Create(std::move(request), options_, proxies_);
  if (!transfer) {
    FetchResult result;
    result.status = std::move(transfer.error());
    result.effective_url = url;
    Deliver(std::move(done), std::move(result));
    return;
  }
  (*transfer)->SetCallback(std::move(done));
  CURL* easy = (*transfer)->easy();
  const CURLMcode rc = Curl().multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    Transfer& t = **transfer;
    Deliver(t.TakeCallback(), t.Fail(Status::Internal(std::string("curl_multi_add_handle: ") +
                                                      Curl().multi_strerror(rc))));
    return;
  }
  transfers_.emplace(easy, std::move(*transfer));
}

void CurlClient::CancelAll() { RemoveAllHandles(/*deliver_aborted=*/true); }

void CurlClient::RemoveAllHandles(bool deliver_aborted) {
  auto transfers = std::move(transfers_);
  transfers_.clear();
  for (auto& [easy, t] : transfers) {
    if (multi_ != nullptr) Curl().multi_remove_handle(multi_, easy);
    if (deliver_aborted) {
      Deliver(t->TakeCallback(), t->Fail(Status::Aborted(t->url() + ": cancelled")));
    }
  }
}

void CurlClient::Deliver(Callback done, FetchResult result) {
  if (!done) return;
  asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable {
    done(std::move(result));
  });
}

int CurlClient::OnSocket(CURL* /*easy*/, curl_socket_t fd, int what, void* self,
                         void* /*socketp*/) {
  auto* client = static_cast<CurlClient*>(self);
  if (client->closing_) return 0;
  if (what == CURL_POLL_REMOVE) {
    client->RemoveWatch(fd);
  } else {
    client->UpdateWatch(fd, what);
  }
  return 0;
}

int CurlClient::OnTimer(CURLM* /*multi*/, long timeout_ms, void* self) {
  auto* client = static_cast<CurlClient*>(self);
  if (client->closing_) return 0;
  const uint64_t seq = ++client->timeout_seq_;
  if (timeout_ms <= 0) client->timer_.cancel();
  if (timeout_ms < 0) return 0;
  if (timeout_ms == 0) {
    // Never call curl from here: run on a later loop turn. Posted, not a 0 ms timer: curl asks
    // for one per added transfer, and arming the timer reprograms the reactor's timerfd (a
    // system call; in a cold round of 1,000 feeds about 1 % of all CPU on a VM).
    client->PostTimeout(seq);
    return 0;
  }
  client->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  client->timer_.async_wait(
      [client, alive = std::weak_ptr<char>(client->alive_)](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted || alive.expired()) return;
        client->OnTimeout();
      });
  return 0;
}

void CurlClient::UpdateWatch(curl_socket_t fd, int what) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) {
    auto w = std::make_unique<Watch>(io_, next_watch_id_++);
    boost::system::error_code ec;
    w->sd.assign(fd, ec);
    if (ec) {
      // Nothing to wait on; the transfer ends through curl's own timeout.
      log_->error("cannot watch fd={} error={}", fd, ec.message());
      return;
    }
    it = watches_.emplace(fd, std::move(w)).first;
  }
  Watch& w = *it->second;
  const bool drop_read = w.reading && !(what & CURL_POLL_IN);
  const bool drop_write = w.writing && !(what & CURL_POLL_OUT);
  w.wanted = what;
  if (drop_read || drop_write) {
    // cancel() aborts both directions; the sequence bump turns any handler already queued
    // into a no-op, and Arm() re-creates the waits that are still wanted.
    boost::system::error_code ignored;
    w.sd.cancel(ignored);
    w.reading = w.writing = false;
    ++w.read_seq;
    ++w.write_seq;
  }
  Arm(fd, w);
}

void CurlClient::RemoveWatch(curl_socket_t fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  // release(), never close(): curl closes the fd right after this and may reuse its number.
  boost::system::error_code ignored;
  it->second->sd.cancel(ignored);
  it->second->sd.release();
  watches_.erase(it);
}

void CurlClient::Arm(curl_socket_t fd, Watch& w) {
  if (w.failed) return;
  auto handler = [this, fd, id = w.id, alive = std::weak_ptr<char>(alive_)](bool write,
                                                                            uint64_t seq) {
    return [this, fd, id, alive, write, seq](const boost::system::error_code& ec) {
      if (ec == asio::error::operation_aborted || alive.expired()) return;
      OnReady(fd, id, write, seq, ec);
    };
  };
  if ((w.wanted & CURL_POLL_IN) && !w.reading) {
    w.reading = true;
    w.sd.async_wait(asio::posix::stream_descriptor::wait_read, handler(false, ++w.read_seq));
  }
  if ((w.wanted & CURL_POLL_OUT) && !w.writing) {
    w.writing = true;
    w.sd.async_wait(asio::posix::stream_descriptor::wait_write, handler(true, ++w.write_seq));
  }
}

void CurlClient::OnReady(curl_socket_t fd, uint64_t id, bool write, uint64_t seq,
                         const boost::system::error_code& ec) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || it->second->id != id) return;  // removed, or fd reused
  Watch& w = *it->second;
  if (seq != (write ? w.write_seq : w.read_seq)) return;  // superseded by a later arm
  (write ? w.writing : w.reading) = false;
  if (!(w.wanted & (write ? CURL_POLL_OUT : CURL_POLL_IN))) return;
  if (ec) w.failed = true;  // report once, then leave it to curl's timeouts
  SocketAction(fd, ec ? CURL_CSELECT_ERR : (write ? CURL_CSELECT_OUT : CURL_CSELECT_IN));
  // The watch may have been removed or replaced inside socket_action.
  it = watches_.find(fd);
  if (it != watches_.end() && it->second->id == id) Arm(fd, *it->second);
}

void CurlClient::OnTimeout() { SocketAction(CURL_SOCKET_TIMEOUT, 0); }

void CurlClient::PostTimeout(uint64_t seq) {
  zero_seq_ = seq;
  if (timeout_posted_) return;  // the one posted reads zero_seq_ when it runs
  timeout_posted_ = true;
  asio::post(io_, [this, alive = std::weak_ptr<char>(alive_)] {
    if (alive.expired()) return;
    timeout_posted_ = false;
    if (!closing_ && zero_seq_ == timeout_seq_) OnTimeout();
  });
}

void CurlClient::SocketAction(curl_socket_t fd, int events) {
  int running = 0;
  const CURLMcode rc = Curl().multi_socket_action(multi_, fd, events, &running);
  if (rc != CURLM_OK) log_->error("curl_multi_socket_action: {}", Curl().multi_strerror(rc));
  DrainCompletions();
}

void CurlClient::DrainCompletions() {
  int left = 0;
  while (CURLMsg* msg = Curl().multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;  // read before remove_handle invalidates msg
    auto node = transfers_.extract(easy);
    Curl().multi_remove_handle(multi_, easy);
    if (node.empty()) continue;
    Transfer& t = *node.mapped();
    if (code == CURLE_BAD_CONTENT_ENCODING && !t.request().as_sent) {
      if (std::string coding = t.UnknownEncoding(); !coding.empty()) {
        AskAgainAsSent(t, std::move(coding));
        continue;
      }
    }
    FetchResult result = t.Finish(code);
    if (!result.status.ok()) {
      log_->debug("fetch failed url={} error={}", t.url(), result.status.ToString());
    }
    Deliver(t.TakeCallback(), std::move(result));
  }
}

void CurlClient::AskAgainAsSent(Transfer& t, std::string coding) {
  log_->debug(
      "url={} Content-Encoding \"{}\" names no coding libcurl decodes: asked again "
      "without compression",
      t.url(), coding);
  FetchRequest again = t.request();
  again.as_sent = true;
  Fetch(std::move(again),
        [done = t.TakeCallback(), coding = std::move(coding)](FetchResult result) {
          result.undecoded_encoding = coding;
          done(std::move(result));
        });
}

}  // namespace

Result<std::unique_ptr<HttpClient>> MakeCurlClient(asio::io_context& io, const Options& options) {
  // Before the client exists: its constructor already parses proxy URLs with libcurl.
  if (Status s = LoadCurl(); !s.ok()) return Err(std::move(s));
  auto client = std::make_unique<CurlClient>(io, options);
  if (Status s = client->Init(); !s.ok()) return Err(std::move(s));
  return std::unique_ptr<HttpClient>(std::move(client));
}

}  // namespace newsd::fetchers
