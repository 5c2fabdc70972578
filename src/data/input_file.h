// Where the readers get their bytes: a path, "-" for standard input, and gzip-compressed input
// (recognised by its magic bytes, whatever the file is called) decompressed on the fly.
#pragma once

#include <istream>
#include <memory>
#include <string>

namespace smartchurn::detail {

// The name stdin is given in messages ("<stdin>:12:3: ...").
inline constexpr const char* kStdinName = "<stdin>";

struct InputFile {
  std::unique_ptr<std::streambuf> owned;  // the file's, and the decompressor over it
  std::unique_ptr<std::istream> stream;
  std::string name;  // for messages: the path, or <stdin>
};

// Opens `path` for reading ("-": standard input); a missing or unreadable file is ErrorCode::kIo.
InputFile open_input(const std::string& path);

}  // namespace smartchurn::detail
