#include "server/static_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>

#include "server/router.h"  // plain_not_found
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

namespace fs = std::filesystem;

// The path relative to the root, or nullopt when a segment could climb out or is malformed.
std::optional<fs::path> relative_path(std::string_view url_path) {
  fs::path relative;
  std::size_t start = 0;
  while (start <= url_path.size()) {
    std::size_t slash = url_path.find('/', start);
    if (slash == std::string_view::npos) slash = url_path.size();
    const std::string_view segment = url_path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == ".." ||
        segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos) {
      return std::nullopt;
    }
    relative /= std::string(segment);
  }
  return relative;
}

bool is_inside(const fs::path& root, const fs::path& candidate) {
  const auto mismatch = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return mismatch.first == root.end();
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string content_type_for(const std::string& file_name) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  const auto found = kTypes.find(fs::path(file_name).extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

StaticFiles::StaticFiles(const std::string& dir) {
  std::error_code error;
  root_ = fs::canonical(dir, error);
  if (error || !fs::is_directory(root_)) {
    throw_io(fmt::format("the static directory '{}' does not exist", dir));
  }
}

Response StaticFiles::serve(const std::string& path) const {
  const Response not_found = plain_not_found();
  const std::optional<fs::path> relative = relative_path(path);
  if (!relative) return not_found;
  std::error_code error;
  fs::path file = fs::weakly_canonical(root_ / *relative, error);
  if (error || !is_inside(root_, file)) return not_found;
  const bool names_a_file = fs::is_regular_file(file, error);
  if (!names_a_file) {
    // The dashboard routes in the URL's fragment (web/src/state.ts: /#/customers/12), so the
    // root is its only page without a file; any other path is a 404, not the app's HTML (a
    // Prometheus scrape of a wrong path must fail, not read a dashboard as metrics).
    if (!relative->empty()) return not_found;
    file = fs::weakly_canonical(root_ / "index.html", error);
    if (error || !is_inside(root_, file)) return not_found;
  }
  std::optional<std::string> body = read_file(file);
  if (!body) return not_found;
  Response response = Response::text(std::move(*body), content_type_for(file.filename().string()));
  if (!names_a_file || file.filename() == "index.html") {
    response.headers.emplace_back("Cache-Control", "no-cache");
  }
  return response;
}

}  // namespace smartchurn::server
