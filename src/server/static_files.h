// The dashboard's files, served from one directory (internal to src/server).
#pragma once

#include <filesystem>
#include <string>

#include "server/response.h"

namespace smartchurn::server {

class StaticFiles {
 public:
  // Error(kIo) when `dir` is not a directory.
  explicit StaticFiles(const std::string& dir);
  // The file for a URL path (already percent-decoded). "/" gets index.html (the dashboard routes
  // in the fragment, /#/customers); a path that names no file is a plain-text 404.
  // Nothing outside the directory is ever read (no "..", symlinks resolved and checked).
  Response serve(const std::string& path) const;

 private:
  std::filesystem::path root_;  // canonical
};

// The Content-Type for a file name by its extension.
std::string content_type_for(const std::string& file_name);

}  // namespace smartchurn::server
