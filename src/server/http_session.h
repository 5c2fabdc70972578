// One HTTP connection of HttpServer on Boost.Beast (internal to src/server): reads a request head
// under a deadline, checks it, reads the body as the route wants, runs the handler inline or on
// the worker pool, and writes the answer; then waits for the next request under the idle timeout.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "server/http_server.h"
#include "server/server_core.h"
#include "server/static_files.h"
#include "server/uploads.h"

namespace smartchurn::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, ServerCore& core);
  ~Session();
  void start();
  // From stop(): an idle connection closes; a request in progress is answered, then it closes.
  void on_stop();
  void close_now();  // when the stop grace is over

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
  enum class Phase { kIdle, kHead, kBody, kHandler, kWrite, kEvents, kClosed };

  struct Exchange {
    Request request;
    const Route* route = nullptr;
    std::unique_ptr<UploadFile> upload;
    std::unique_ptr<BodySink> sink;
    std::string route_label = "unmatched";
    std::chrono::steady_clock::time_point start;
    bool pooled = false;
    bool reserved = false;          // a worker pool place is held
    bool body_unread = false;       // bytes of the body were left: close after the answer
    std::size_t body_bytes = 0;     // received so far
    std::size_t discard_limit = 0;  // when the sink failed or is absent: bytes still dropped
    std::exception_ptr body_error;  // what the sink threw
    bool counted = true;  // still in ServerCore's requests (a stream leaves when it starts)
    std::optional<Response> early;  // an answer decided before the body was read
    Response response;
  };

  void wait_for_request();
  void read_head();
  void on_head(boost::beast::error_code error);
  void begin_exchange();
  void plan_body();
  void send_continue_then_read();
  void read_body();
  void on_body(boost::beast::error_code error, std::size_t bytes);
  void body_done();
  void run_handler();
  void answer(Response response);
  void answer_error(int status, const std::string& code, const std::string& message);
  void finish_exchange();
  void after_write(boost::beast::error_code error);
  void close();

  // In http_session_write.cc: plain, file and event-stream responses.
  void write_response();
  void write_file_response();
  void start_event_stream();
  bool send_event(const std::string& text);
  void end_event_stream();
  void write_simple(int status, const std::string& body, const char* extra_header_name = nullptr,
                    const char* extra_header_value = nullptr);
  bool keep_alive() const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ServerCore& core_;
  std::optional<Parser> parser_;
  std::unique_ptr<Exchange> exchange_;
  std::shared_ptr<void> message_;  // the response being written
  std::string piece_;              // body bytes read into here
  std::chrono::steady_clock::time_point body_start_;
  Phase phase_ = Phase::kIdle;
  int requests_served_ = 0;
  bool close_after_ = false;
  friend class StreamSink;
};

}  // namespace smartchurn::server
