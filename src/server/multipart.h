// A streaming multipart/form-data parser (RFC 7578): the body goes in as byte pieces of any size,
// each part's headers and content come out as they are found, so a large file part never has to
// be held in memory (internal to src/server).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace smartchurn::server {

// The boundary parameter of a multipart Content-Type (quoted or not), or nullopt when it is
// missing or not 1 to 70 characters.
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct FormPart {
  std::string name;          // Content-Disposition name
  std::string filename;      // Content-Disposition filename (or filename*), empty for a field
  std::string content_type;  // the part's Content-Type, empty when not given
};

struct MultipartLimits {
  std::size_t max_part_header_bytes = 8u << 10;  // the headers of one part
  std::size_t max_parts = 128;
  std::size_t max_preamble_bytes = 64u << 10;  // text before the first boundary
};

// Errors throw ApiError 400 "invalid_multipart" naming the problem (and the part's position).
// The callbacks may throw to stop (their exception passes through feed()).
class MultipartParser {
 public:
  using PartStart = std::function<void(const FormPart&)>;
  using PartData = std::function<void(const char* data, std::size_t size)>;

  MultipartParser(std::string boundary, PartStart on_part, PartData on_data,
                  MultipartLimits limits = {});
  // The next piece of the body; bytes after the closing boundary are ignored.
  void feed(std::string_view bytes);
  // The body has ended: ApiError 400 unless the closing boundary was seen.
  void finish();
  bool complete() const { return state_ == State::kDone; }
  std::size_t parts() const { return parts_; }

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kContent, kDone };

  bool step();  // one step on buffer_; false when more bytes are needed
  bool scan_for_boundary(bool emit);
  void start_part(std::string_view headers);
  [[noreturn]] void fail(const std::string& message) const;

  std::string delimiter_;  // "\r\n--" + boundary
  PartStart on_part_;
  PartData on_data_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  std::string buffer_;  // bytes not yet consumed (at most about one delimiter in content)
  std::size_t preamble_ = 0;
  std::size_t parts_ = 0;
};

}  // namespace smartchurn::server
