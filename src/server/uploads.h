// Request bodies as the route wants them, fed in pieces by the HTTP server with size caps: JSON
// bodies into memory, uploads streamed to a temporary file (internal to src/server).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "server/request.h"

namespace smartchurn::server {

// A body this much over its cap is still read and dropped, so the client gets the 413 rather
// than a reset connection; a larger one is left unread and the connection closed.
inline constexpr std::size_t kDrainAllowance = 4u << 20;

// A temporary file in a directory, removed on destruction unless it was moved away.
class UploadFile {
 public:
  explicit UploadFile(const std::string& dir);  // Error(kIo) when it cannot be created
  ~UploadFile();
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;

  bool write(const char* data, std::size_t size);
  bool close();  // false when the data could not be flushed
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// What the head says about the body.
struct BodyHead {
  std::string content_type;
  std::optional<uint64_t> content_length;  // nullopt when chunked (or absent)
  bool chunked = false;
  bool present() const { return chunked || (content_length && *content_length > 0); }
};

// Takes the body piece by piece. write() and finish() throw ApiError (413 past the cap, 400 for
// a malformed form) or Error(kIo); after a throw the server stops feeding the sink.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(const char* data, std::size_t size) = 0;
  virtual void finish() = 0;
};

// The body of a JSON route into request.body. ApiError 415 for a multipart body, 413 when the
// declared length is over `max_bytes` (thrown here, before anything is read).
std::unique_ptr<BodySink> json_body_sink(const BodyHead& head, std::size_t max_bytes,
                                         Request& request);

// An upload (the first file part of a multipart form, or a text/csv or octet-stream body) to a
// file in `dir`; finish() fills request.upload_path, upload_filename and form. ApiError 415 for
// another content type, 413 past `max_bytes`, 400 for a form without a file part. `file` is set
// to the temporary file, which the caller keeps until the response is sent.
std::unique_ptr<BodySink> upload_body_sink(const BodyHead& head, const std::string& dir,
                                           std::size_t max_bytes, Request& request,
                                           std::unique_ptr<UploadFile>& file);

}  // namespace smartchurn::server
