// Fuzz target: the streaming multipart/form-data parser of uploads. An input is
// "<Content-Type>\n<body>"; the body is fed in pieces whose sizes come from the body's own bytes,
// so a boundary split across pieces is tried as often as a whole one. Expected refusals are
// ApiError 400; anything else escaping, a crash, or content bytes beyond the body is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "server/api_error.h"
#include "server/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const auto boundary = smartchurn::server::multipart_boundary(input.substr(0, newline));
  if (!boundary) return 0;
  const std::string_view body = input.substr(newline + 1);

  std::size_t content_bytes = 0;
  std::size_t parts_seen = 0;
  smartchurn::server::MultipartLimits limits;
  limits.max_parts = 8;
  limits.max_part_header_bytes = 256;
  limits.max_preamble_bytes = 1024;
  smartchurn::server::MultipartParser parser(
      *boundary, [&](const smartchurn::server::FormPart&) { ++parts_seen; },
      [&](const char*, std::size_t bytes) { content_bytes += bytes; }, limits);
  bool refused = false;
  try {
    std::size_t at = 0;
    while (at < body.size()) {
      const std::size_t piece = 1 + static_cast<unsigned char>(body[at]) % 64;
      parser.feed(body.substr(at, piece));
      at += piece;
    }
    parser.finish();
  } catch (const smartchurn::server::ApiError& error) {
    if (error.status() != 400) __builtin_trap();
    refused = true;
  }
  if (content_bytes > body.size() || parts_seen > limits.max_parts) __builtin_trap();
  // parts() counts parts begun; a refused part may have begun without reaching the callback.
  if (parts_seen > parser.parts() || (!refused && parser.parts() != parts_seen)) __builtin_trap();
  return 0;
}
