// Request bodies read through httplib's ContentReader with size caps: JSON bodies into memory,
// uploads streamed to a temporary file (internal to src/server).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <httplib.h>

#include "server/request.h"

namespace smartchurn::server {

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

// Whether the request carries a body httplib has not read yet.
bool has_body(const httplib::Request& http_request);

// Reads the body of a JSON route into request.body. ApiError 413 when it exceeds `max_bytes`
// (a small excess is drained so the client reads the answer; `fully_read` says whether the
// connection can be reused).
void read_json_body(const httplib::Request& http_request, const httplib::ContentReader& reader,
                    std::size_t max_bytes, Request& request, bool& fully_read);

// Streams an upload (the first file part of a multipart form, or a text/csv or octet-stream
// body) to a file in `dir` and fills request.upload_path, upload_filename and form. ApiError
// 415 for another content type, 413 past `max_bytes`, 400 for a form without a file part.
std::unique_ptr<UploadFile> receive_upload(const httplib::Request& http_request,
                                           const httplib::ContentReader& reader,
                                           const std::string& dir, std::size_t max_bytes,
                                           Request& request, bool& fully_read);

// Reads and drops a body of at most `max_bytes`; true when the body was consumed.
bool discard_body(const httplib::Request& http_request, const httplib::ContentReader& reader,
                  std::size_t max_bytes);

}  // namespace smartchurn::server
