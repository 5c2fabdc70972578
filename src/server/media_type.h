// Content-Type parsing (internal to src/server).
#pragma once

#include <string>
#include <string_view>

namespace smartchurn::server {

// The media type of a Content-Type header, lower-cased, without parameters:
// "Application/JSON; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type);

}  // namespace smartchurn::server
