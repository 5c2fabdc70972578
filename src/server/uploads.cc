#include "server/uploads.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "server/media_type.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

// A body this much over its cap is still read and dropped, so the client gets the 413 rather
// than a reset connection; a larger one is left unread and the connection closed.
constexpr std::size_t kDrainAllowance = 4u << 20;
constexpr std::size_t kMaxFieldBytes = 64u << 10;
constexpr std::size_t kMaxFields = 64;

std::optional<uint64_t> declared_length(const httplib::Request& http_request) {
  if (!http_request.has_header("Content-Length")) return std::nullopt;
  const std::string value = http_request.get_header_value("Content-Length");
  uint64_t length = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return length;
}

bool is_multipart(const httplib::Request& http_request) {
  return media_type(http_request.get_header_value("Content-Type")) == "multipart/form-data";
}

// Feeds every byte of the body (every part's content, for a multipart form) to `receiver`.
bool read_body(const httplib::Request& http_request, const httplib::ContentReader& reader,
               const httplib::ContentReceiver& receiver) {
  if (is_multipart(http_request)) {
    return reader([](const httplib::MultipartFormData&) { return true; }, receiver);
  }
  return reader(receiver);
}

ApiError too_large(std::string_view what, std::size_t max_bytes) {
  return ApiError(413, "payload_too_large",
                  fmt::format("the {} is larger than the limit of {} bytes", what, max_bytes));
}

}  // namespace

UploadFile::UploadFile(const std::string& dir) {
  std::string pattern = dir + "/upload-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    throw_io(fmt::format("cannot create an upload file in '{}': {}", dir, std::strerror(errno)));
  }
  path_ = name.data();
}

UploadFile::~UploadFile() {
  close();
  std::remove(path_.c_str());  // fails harmlessly when the handler moved the file away
}

bool UploadFile::write(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd_, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

bool UploadFile::close() {
  if (fd_ < 0) return true;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  return closed;
}

bool has_body(const httplib::Request& http_request) {
  if (http_request.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos) {
    return true;
  }
  const std::optional<uint64_t> length = declared_length(http_request);
  return length.has_value() && *length > 0;
}

void read_json_body(const httplib::Request& http_request, const httplib::ContentReader& reader,
                    std::size_t max_bytes, Request& request, bool& fully_read) {
  fully_read = !has_body(http_request);
  if (fully_read) return;
  if (is_multipart(http_request)) {
    fully_read = false;
    throw ApiError(415, "unsupported_media_type", "expected Content-Type: application/json");
  }
  const std::optional<uint64_t> length = declared_length(http_request);
  if (length && *length > max_bytes) {
    fully_read = *length <= max_bytes + kDrainAllowance &&
                 discard_body(http_request, reader, max_bytes + kDrainAllowance);
    throw too_large("JSON body", max_bytes);
  }
  if (length) request.body.reserve(static_cast<std::size_t>(*length));
  bool over = false;
  std::size_t dropped = 0;
  fully_read = reader([&](const char* data, std::size_t size) {
    if (!over && request.body.size() + size <= max_bytes) {
      request.body.append(data, size);
      return true;
    }
    over = true;
    dropped += size;
    return dropped <= kDrainAllowance;
  });
  if (over) throw too_large("JSON body", max_bytes);
  if (!fully_read) throw ApiError(400, "invalid_request", "the request body could not be read");
}

std::unique_ptr<UploadFile> receive_upload(const httplib::Request& http_request,
                                           const httplib::ContentReader& reader,
                                           const std::string& dir, std::size_t max_bytes,
                                           Request& request, bool& fully_read) {
  fully_read = !has_body(http_request);
  const std::string type = media_type(http_request.get_header_value("Content-Type"));
  const bool multipart = type == "multipart/form-data";
  if (!multipart && type != "text/csv" && type != "application/octet-stream") {
    throw ApiError(415, "unsupported_media_type",
                   "upload as multipart/form-data, text/csv or application/octet-stream");
  }
  const std::optional<uint64_t> length = declared_length(http_request);
  if (length && *length > max_bytes) {
    fully_read = *length <= max_bytes + kDrainAllowance &&
                 discard_body(http_request, reader, max_bytes + kDrainAllowance);
    throw too_large("upload", max_bytes);
  }

  auto file = std::make_unique<UploadFile>(dir);
  std::size_t total = 0;
  bool over = false;
  bool write_failed = false;
  std::optional<ApiError> form_error;
  if (!multipart) {
    fully_read = reader([&](const char* data, std::size_t size) {
      total += size;
      if (total > max_bytes) return !(over = true);
      return !(write_failed = !file->write(data, size));
    });
  } else {
    enum class Target { kFile, kField, kSkip } target = Target::kSkip;
    bool file_seen = false;
    std::string* field = nullptr;
    fully_read = reader(
        [&](const httplib::MultipartFormData& part) {
          if (!part.filename.empty()) {
            target = file_seen ? Target::kSkip : Target::kFile;
            if (!file_seen) request.upload_filename = part.filename;
            file_seen = true;
          } else if (request.form.size() >= kMaxFields && !request.form.contains(part.name)) {
            form_error = ApiError(400, "invalid_request", "too many form fields");
            return false;
          } else {
            target = Target::kField;
            field = &request.form[part.name];
            field->clear();
          }
          return true;
        },
        [&](const char* data, std::size_t size) {
          total += size;
          if (total > max_bytes) return !(over = true);
          if (target == Target::kFile) return !(write_failed = !file->write(data, size));
          if (target == Target::kField) {
            if (field->size() + size > kMaxFieldBytes) {
              form_error = too_large("form field (send files with a filename)", kMaxFieldBytes);
              return false;
            }
            field->append(data, size);
          }
          return true;
        });
    if (fully_read && !file_seen) {
      throw ApiError(400, "invalid_request", "the form has no file part (one with a filename)");
    }
  }
  if (over) throw too_large("upload", max_bytes);
  if (form_error) throw *form_error;
  if (write_failed || !file->close()) {
    throw_io(
        fmt::format("cannot write the upload to '{}': {}", file->path(), std::strerror(errno)));
  }
  if (!fully_read) throw ApiError(400, "invalid_request", "the upload could not be read");
  request.upload_path = file->path();
  return file;
}

bool discard_body(const httplib::Request& http_request, const httplib::ContentReader& reader,
                  std::size_t max_bytes) {
  if (!has_body(http_request)) return true;
  const std::optional<uint64_t> length = declared_length(http_request);
  if (length && *length > max_bytes) return false;
  std::size_t total = 0;
  return read_body(http_request, reader, [&](const char*, std::size_t size) {
    total += size;
    return total <= max_bytes;
  });
}

}  // namespace smartchurn::server
