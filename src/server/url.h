// Percent-decoding of request targets, with the same results as cpp-httplib 0.11 gave (internal
// to src/server): the router matches decoded paths and handlers read decoded query values.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace smartchurn::server {

// %XX (and %uXXXX as UTF-8) decoded; a '%' not followed by hex digits stays as it is. '+' becomes
// a space only with `plus_as_space` (query strings, not paths).
std::string decode_url(std::string_view text, bool plus_as_space);

// "a=1&b=x+y&c": pairs split on '&' and '=', trimmed of spaces, keys and values decoded; an empty
// key is dropped, a repeated identical pair counts once, "k=v=w" gives k -> w (httplib's rule).
void parse_query(std::string_view text, std::multimap<std::string, std::string>& query);

}  // namespace smartchurn::server
