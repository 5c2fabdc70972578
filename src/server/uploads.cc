#include "server/uploads.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "server/media_type.h"
#include "server/multipart.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

constexpr std::size_t kMaxFieldBytes = 64u << 10;
constexpr std::size_t kMaxFields = 64;

ApiError too_large(std::string_view what, std::size_t max_bytes) {
  return ApiError(413, "payload_too_large",
                  fmt::format("the {} is larger than the limit of {} bytes", what, max_bytes));
}

void check_declared_length(const BodyHead& head, std::string_view what, std::size_t max_bytes) {
  if (head.content_length && *head.content_length > max_bytes) throw too_large(what, max_bytes);
}

class JsonSink : public BodySink {
 public:
  JsonSink(std::size_t max_bytes, Request& request) : max_bytes_(max_bytes), request_(request) {}
  void write(const char* data, std::size_t size) override {
    if (request_.body.size() + size > max_bytes_) throw too_large("JSON body", max_bytes_);
    request_.body.append(data, size);
  }
  void finish() override {}

 private:
  std::size_t max_bytes_;
  Request& request_;
};

class UploadSink : public BodySink {
 public:
  UploadSink(const BodyHead& head, std::size_t max_bytes, Request& request, UploadFile& file)
      : max_bytes_(max_bytes), request_(request), file_(file) {
    if (media_type(head.content_type) != "multipart/form-data") return;
    const std::optional<std::string> boundary = multipart_boundary(head.content_type);
    if (!boundary) {
      throw ApiError(400, "invalid_multipart",
                     "multipart/form-data needs a boundary parameter of 1 to 70 characters");
    }
    form_.emplace(
        *boundary, [this](const FormPart& part) { start_part(part); },
        [this](const char* data, std::size_t size) { part_data(data, size); });
  }

  void write(const char* data, std::size_t size) override {
    if ((total_ += size) > max_bytes_) throw too_large("upload", max_bytes_);
    if (form_) {
      form_->feed(std::string_view(data, size));
    } else {
      write_file(data, size);
    }
  }

  void finish() override {
    if (form_) {
      form_->finish();
      if (!file_seen_) {
        throw ApiError(400, "invalid_request", "the form has no file part (one with a filename)");
      }
    }
    if (!file_.close()) {
      throw_io(
          fmt::format("cannot write the upload to '{}': {}", file_.path(), std::strerror(errno)));
    }
    request_.upload_path = file_.path();
  }

 private:
  enum class Target { kFile, kField, kSkip };

  void write_file(const char* data, std::size_t size) {
    if (!file_.write(data, size)) {
      throw_io(
          fmt::format("cannot write the upload to '{}': {}", file_.path(), std::strerror(errno)));
    }
  }

  void start_part(const FormPart& part) {
    if (!part.filename.empty()) {
      target_ = file_seen_ ? Target::kSkip : Target::kFile;
      if (!file_seen_) request_.upload_filename = part.filename;
      file_seen_ = true;
      return;
    }
    if (request_.form.size() >= kMaxFields && !request_.form.contains(part.name)) {
      throw ApiError(400, "invalid_request", "too many form fields");
    }
    target_ = Target::kField;
    field_ = &request_.form[part.name];
    field_->clear();
  }

  void part_data(const char* data, std::size_t size) {
    if (target_ == Target::kFile) return write_file(data, size);
    if (target_ != Target::kField) return;
    if (field_->size() + size > kMaxFieldBytes) {
      throw too_large("form field (send files with a filename)", kMaxFieldBytes);
    }
    field_->append(data, size);
  }

  std::size_t max_bytes_;
  Request& request_;
  UploadFile& file_;
  std::optional<MultipartParser> form_;
  std::size_t total_ = 0;
  Target target_ = Target::kSkip;
  bool file_seen_ = false;
  std::string* field_ = nullptr;
};

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

std::unique_ptr<BodySink> json_body_sink(const BodyHead& head, std::size_t max_bytes,
                                         Request& request) {
  if (head.present() && media_type(head.content_type) == "multipart/form-data") {
    throw ApiError(415, "unsupported_media_type", "expected Content-Type: application/json");
  }
  check_declared_length(head, "JSON body", max_bytes);
  if (head.content_length) request.body.reserve(static_cast<std::size_t>(*head.content_length));
  return std::make_unique<JsonSink>(max_bytes, request);
}

std::unique_ptr<BodySink> upload_body_sink(const BodyHead& head, const std::string& dir,
                                           std::size_t max_bytes, Request& request,
                                           std::unique_ptr<UploadFile>& file) {
  const std::string type = media_type(head.content_type);
  if (type != "multipart/form-data" && type != "text/csv" && type != "application/octet-stream") {
    throw ApiError(415, "unsupported_media_type",
                   "upload as multipart/form-data, text/csv or application/octet-stream");
  }
  check_declared_length(head, "upload", max_bytes);
  file = std::make_unique<UploadFile>(dir);
  return std::make_unique<UploadSink>(head, max_bytes, request, *file);
}

}  // namespace smartchurn::server
