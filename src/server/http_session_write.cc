// The writing half of Session: plain and file responses, and server-sent event streams whose
// producer runs on its own thread and waits for each event to be written.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "server/error_response.h"
#include "server/event_stream.h"
#include "server/http_session.h"

namespace smartchurn::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

template <typename Message>
void set_headers(Message& message, const Response& response, bool keep_alive,
                 const ServerOptions& options) {
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(keep_alive);
  if (keep_alive) {
    message.set(http::field::keep_alive,
                fmt::format("timeout={}, max={}", options.idle_timeout_seconds,
                            options.keep_alive_max_count));
  }
}

}  // namespace

// A sink whose send() hands the event to the session's strand and waits until it is written.
class StreamSink : public EventSink {
 public:
  explicit StreamSink(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  bool send(const std::string& event, const nlohmann::json& data) override {
    if (!open_ || session_->core_.stopping.load()) return open_ = false;
    return open_ = session_->send_event(format_event(event, data));
  }

 private:
  std::shared_ptr<Session> session_;
  bool open_ = true;
};

void Session::write_simple(int status, const std::string& body, const char* extra_header_name,
                           const char* extra_header_value) {
  phase_ = Phase::kWrite;
  auto message =
      std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
  message->set(http::field::content_type, "application/json");
  if (extra_header_name != nullptr) message->set(extra_header_name, extra_header_value);
  message->keep_alive(false);
  message->body() = body;
  message->prepare_payload();
  message_ = message;
  stream_.expires_after(std::chrono::seconds(core_.options.write_timeout_seconds));
  http::async_write(stream_, *message, [self = shared_from_this()](beast::error_code, std::size_t) {
    self->message_.reset();
    self->close();
  });
}

void Session::write_response() {
  phase_ = Phase::kWrite;
  Response& response = exchange_->response;
  const bool head_only = exchange_->request.method == "HEAD";
  const bool keep = keep_alive();
  stream_.expires_after(std::chrono::seconds(core_.options.write_timeout_seconds));
  const auto done = [self = shared_from_this()](beast::error_code error, std::size_t) {
    self->after_write(error);
  };
  if (head_only) {
    auto message = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(response.status), parser_->get().version());
    if (!response.content_type.empty())
      message->set(http::field::content_type, response.content_type);
    set_headers(*message, response, keep, core_.options);
    message->content_length(response.body.size());
    message_ = message;
    return http::async_write(stream_, *message, done);
  }
  auto message = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(response.status), parser_->get().version());
  if (!response.content_type.empty())
    message->set(http::field::content_type, response.content_type);
  set_headers(*message, response, keep, core_.options);
  message->body() = std::move(response.body);
  message->prepare_payload();
  message_ = message;
  http::async_write(stream_, *message, done);
}

void Session::write_file_response() {
  Response& response = exchange_->response;
  http::file_body::value_type file;
  beast::error_code error;
  file.open(response.body_file.c_str(), beast::file_mode::scan, error);
  if (error) {
    exchange_->response = error_response(500, "internal", "the response file is unreadable");
    return write_response();
  }
  phase_ = Phase::kWrite;
  const bool keep = keep_alive();
  auto message = std::make_shared<http::response<http::file_body>>(
      static_cast<http::status>(response.status), parser_->get().version());
  message->set(http::field::content_type, response.content_type);
  set_headers(*message, response, keep, core_.options);
  const std::uint64_t size = file.size();
  if (exchange_->request.method != "HEAD") {
    message->body() = std::move(file);
    message->prepare_payload();
  } else {
    message->content_length(size);
  }
  message_ = message;
  // A large file is written under one deadline per MiB-ish budget, like a body being read.
  stream_.expires_after(std::chrono::seconds(core_.options.write_timeout_seconds) +
                        std::chrono::seconds(core_.options.body_seconds_per_mib) *
                            static_cast<int64_t>(size >> 20));
  http::async_write(stream_, *message,
                    [self = shared_from_this()](beast::error_code write_error, std::size_t) {
                      self->after_write(write_error);
                    });
}

void Session::start_event_stream() {
  if (core_.event_streams.fetch_add(1) >= core_.options.max_event_streams) {
    --core_.event_streams;
    exchange_->response = error_response(503, "unavailable", "too many event streams are open");
    exchange_->response.headers.emplace_back("Retry-After", "5");
    return write_response();
  }
  phase_ = Phase::kEvents;
  close_after_ = true;  // the connection ends with the stream
  core_.end_request();  // a stream is not waited for on stop: it ends at its next event
  exchange_->counted = false;
  auto message = std::make_shared<http::response<http::empty_body>>(http::status::ok,
                                                                    parser_->get().version());
  message->set(http::field::content_type, "text/event-stream");
  message->set(http::field::cache_control, "no-cache");
  message->set("X-Accel-Buffering", "no");
  for (const auto& [name, value] : exchange_->response.headers) message->set(name, value);
  message->keep_alive(false);
  message->chunked(true);
  auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*message);
  message_ =
      std::make_shared<std::pair<decltype(message), decltype(serializer)>>(message, serializer);
  stream_.expires_after(std::chrono::seconds(core_.options.write_timeout_seconds));
  http::async_write_header(
      stream_, *serializer, [self = shared_from_this()](beast::error_code error, std::size_t) {
        if (error) {
          --self->core_.event_streams;
          return self->after_write(error);
        }
        self->core_.begin_producer();
        std::thread([self, events = std::move(self->exchange_->response.events)]() mutable {
          {
            StreamSink sink(self);
            try {
              events(sink);
            } catch (const std::exception& e) {
              spdlog::error("event stream failed: {}", e.what());
            }
          }
          net::post(self->stream_.get_executor(), [self] { self->end_event_stream(); });
          ServerCore& core = self->core_;
          self.reset();
          core.end_producer();
        }).detach();
      });
}

bool Session::send_event(const std::string& text) {
  auto written = std::make_shared<std::promise<bool>>();
  std::future<bool> result = written->get_future();
  net::post(stream_.get_executor(), [self = shared_from_this(), written,
                                     chunk = std::make_shared<std::string>(text)] {
    if (self->phase_ != Phase::kEvents) return written->set_value(false);
    self->stream_.expires_after(std::chrono::seconds(self->core_.options.write_timeout_seconds));
    net::async_write(
        self->stream_, http::make_chunk(net::buffer(*chunk)),
        [written, chunk](beast::error_code error, std::size_t) { written->set_value(!error); });
  });
  return result.get();
}

void Session::end_event_stream() {
  --core_.event_streams;
  if (phase_ != Phase::kEvents) return finish_exchange();
  stream_.expires_after(std::chrono::seconds(2));
  net::async_write(stream_, http::make_chunk_last(),
                   [self = shared_from_this()](beast::error_code, std::size_t) {
                     self->finish_exchange();
                     self->close();
                   });
}

}  // namespace smartchurn::server
