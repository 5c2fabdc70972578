#include "server/multipart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "server/api_error.h"

namespace smartchurn::server {
namespace {

constexpr std::size_t kMaxBoundary = 70;  // RFC 2046
constexpr std::size_t kMaxPadding = 256;  // spaces allowed after a boundary before its CRLF

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'language'percent-encoded; nullopt when malformed.
std::optional<std::string> decode_ext_value(std::string_view value) {
  const std::size_t first = value.find('\'');
  const std::size_t second = first == std::string_view::npos ? first : value.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string out;
  for (std::size_t i = second + 1; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size() || hex_value(value[i + 1]) < 0 || hex_value(value[i + 2]) < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2]));
    i += 2;
  }
  return out;
}

// "type; a=b; c=\"d;e\"" -> the type and the parameters in order (names lower-cased). Quoted
// values may contain ';' and backslash escapes; false when a quote is not closed.
bool split_parameters(std::string_view text, std::string& type,
                      std::vector<std::pair<std::string, std::string>>& parameters) {
  std::size_t i = 0;
  const auto until_semicolon = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] != ';') ++i;
    return text.substr(start, i - start);
  };
  type = std::string(trim(until_semicolon()));
  while (i < text.size()) {
    ++i;  // the ';'
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t name_start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';') ++i;
    std::string name(trim(text.substr(name_start, i - name_start)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < text.size()) {
            value += text[i++];
          } else {
            value += c;
          }
        }
        if (!closed) return false;
        until_semicolon();  // anything after the closing quote up to ';' is ignored
      } else {
        value = std::string(trim(until_semicolon()));
      }
    }
    if (!name.empty()) parameters.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::string type;
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!split_parameters(content_type, type, parameters)) return std::nullopt;
  for (const auto& [name, value] : parameters) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > kMaxBoundary) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

MultipartParser::MultipartParser(std::string boundary, PartStart on_part, PartData on_data,
                                 MultipartLimits limits)
    : delimiter_("\r\n--" + boundary),
      on_part_(std::move(on_part)),
      on_data_(std::move(on_data)),
      limits_(limits),
      // The first boundary may open the body without a line break before it.
      buffer_("\r\n") {
  if (boundary.empty() || boundary.size() > kMaxBoundary)
    fail("the boundary must be 1 to 70 characters");
}

void MultipartParser::fail(const std::string& message) const {
  throw ApiError(400, "invalid_multipart", "malformed multipart form: " + message);
}

void MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::kDone) return;
  buffer_.append(bytes.data(), bytes.size());
  while (state_ != State::kDone && step()) {
  }
  if (state_ == State::kDone) buffer_.clear();
}

void MultipartParser::finish() {
  if (state_ == State::kDone) return;
  if (state_ == State::kPreamble) fail("no boundary line found");
  fail(fmt::format("part {} is not closed (the final boundary is missing)", parts_));
}

// Looks for the delimiter in buffer_; with `emit`, bytes before it are content. On a match the
// delimiter is consumed and true returned; otherwise all but a possible partial match is
// consumed.
bool MultipartParser::scan_for_boundary(bool emit) {
  const std::size_t at = buffer_.find(delimiter_);
  std::size_t keep_from = 0;
  if (at != std::string::npos) {
    keep_from = at;
  } else if (buffer_.size() >= delimiter_.size()) {
    keep_from = buffer_.size() - (delimiter_.size() - 1);
  }
  if (keep_from > 0) {
    if (emit) {
      on_data_(buffer_.data(), keep_from);
    } else if ((preamble_ += keep_from) > limits_.max_preamble_bytes) {
      fail(fmt::format("more than {} bytes before the first boundary", limits_.max_preamble_bytes));
    }
  }
  if (at == std::string::npos) {
    buffer_.erase(0, keep_from);
    return false;
  }
  buffer_.erase(0, at + delimiter_.size());
  return true;
}

bool MultipartParser::step() {
  switch (state_) {
    case State::kPreamble:
    case State::kContent:
      if (!scan_for_boundary(state_ == State::kContent)) return false;
      state_ = State::kAfterBoundary;
      return true;
    case State::kAfterBoundary: {
      if (buffer_.size() < 2) return false;
      if (buffer_.compare(0, 2, "--") == 0) {
        state_ = State::kDone;
        return false;
      }
      std::size_t i = 0;
      while (i < buffer_.size() && (buffer_[i] == ' ' || buffer_[i] == '\t')) ++i;
      if (i > kMaxPadding) fail("a boundary line is followed by too many spaces");
      if (buffer_.size() < i + 2) return false;
      if (buffer_.compare(i, 2, "\r\n") != 0) {
        fail(
            fmt::format("the boundary before part {} is not followed by a line break", parts_ + 1));
      }
      buffer_.erase(0, i + 2);
      state_ = State::kHeaders;
      return true;
    }
    case State::kHeaders: {
      std::size_t end = 0;
      std::size_t skip = 0;
      if (buffer_.compare(0, 2, "\r\n") == 0) {
        skip = 2;  // a part without headers
      } else if ((end = buffer_.find("\r\n\r\n")) != std::string::npos) {
        skip = end + 4;
      }
      if (skip == 0) {
        if (buffer_.size() > limits_.max_part_header_bytes) {
          fail(fmt::format("the headers of part {} are longer than {} bytes", parts_ + 1,
                           limits_.max_part_header_bytes));
        }
        return false;
      }
      if (end > limits_.max_part_header_bytes) {
        fail(fmt::format("the headers of part {} are longer than {} bytes", parts_ + 1,
                         limits_.max_part_header_bytes));
      }
      const std::string headers = buffer_.substr(0, skip == 2 ? 0 : end);
      buffer_.erase(0, skip);
      start_part(headers);
      state_ = State::kContent;
      return true;
    }
    case State::kDone:
      return false;
  }
  return false;
}

void MultipartParser::start_part(std::string_view headers) {
  if (++parts_ > limits_.max_parts) fail(fmt::format("more than {} parts", limits_.max_parts));
  FormPart part;
  bool disposition_seen = false;
  // Unfold obsolete continuation lines, then read "Name: value" lines.
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= headers.size() && !headers.empty()) {
    std::size_t stop = headers.find("\r\n", start);
    if (stop == std::string_view::npos) stop = headers.size();
    std::string_view line = headers.substr(start, stop - start);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty()) {
      lines.back() += ' ';
      lines.back() += trim(line);
    } else {
      lines.emplace_back(line);
    }
    start = stop + 2;
  }
  for (const std::string& line : lines) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      fail(fmt::format("part {} has a header line without a name and ':'", parts_));
    }
    const std::string_view name = trim(std::string_view(line).substr(0, colon));
    const std::string_view value = trim(std::string_view(line).substr(colon + 1));
    if (iequals(name, "content-type")) {
      part.content_type = std::string(value);
      continue;
    }
    if (!iequals(name, "content-disposition")) continue;
    std::string type;
    std::vector<std::pair<std::string, std::string>> parameters;
    if (!split_parameters(value, type, parameters)) {
      fail(fmt::format("part {} has a Content-Disposition with an unclosed quote", parts_));
    }
    if (!iequals(type, "form-data")) {
      fail(fmt::format("part {} is '{}', not form-data", parts_, type.substr(0, 64)));
    }
    disposition_seen = true;
    std::optional<std::string> extended_filename;
    for (auto& [parameter, text] : parameters) {
      if (parameter == "name") {
        part.name = std::move(text);
      } else if (parameter == "filename") {
        part.filename = std::move(text);
      } else if (parameter == "filename*") {
        extended_filename = decode_ext_value(text);
      }
    }
    if (extended_filename && !extended_filename->empty()) part.filename = *extended_filename;
  }
  if (!disposition_seen) fail(fmt::format("part {} has no Content-Disposition header", parts_));
  on_part_(part);
}

}  // namespace smartchurn::server
