#include "server/url.h"

#include <set>

namespace smartchurn::server {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `count` hex digits at text[at...], or -1.
int hex_number(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    const int digit = hex_digit(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void append_utf8(int code, std::string& out) {
  const auto byte = [](int value) { return static_cast<char>(value); };
  if (code < 0x80) {
    out += byte(code);
  } else if (code < 0x800) {
    out += byte(0xC0 | (code >> 6));
    out += byte(0x80 | (code & 0x3F));
  } else if (code < 0xD800 || code >= 0xE000) {
    out += byte(0xE0 | (code >> 12));
    out += byte(0x80 | ((code >> 6) & 0x3F));
    out += byte(0x80 | (code & 0x3F));
  }  // a lone surrogate gives nothing, as in httplib
}

// Calls `piece` for each non-empty, space-trimmed piece between separators.
template <typename Piece>
void split(std::string_view text, char separator, Piece piece) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t stop = text.find(separator, start);
    if (stop == std::string_view::npos) stop = text.size();
    std::string_view part = text.substr(start, stop - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) piece(part);
    start = stop + 1;
  }
}

}  // namespace

std::string decode_url(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 1 < text.size()) {
      if (text[i + 1] == 'u') {
        if (const int code = hex_number(text, i + 2, 4); code >= 0) {
          append_utf8(code, out);
          i += 5;
          continue;
        }
      } else if (const int code = hex_number(text, i + 1, 2); code >= 0) {
        out += static_cast<char>(code);
        i += 2;
        continue;
      }
      out += c;
    } else if (plus_as_space && c == '+') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void parse_query(std::string_view text, std::multimap<std::string, std::string>& query) {
  std::set<std::string_view> seen;
  split(text, '&', [&](std::string_view pair) {
    if (!seen.insert(pair).second) return;
    std::string_view key;
    std::string_view value;
    bool first = true;
    split(pair, '=', [&](std::string_view part) {
      if (first) {
        key = part;
        first = false;
      } else {
        value = part;
      }
    });
    if (!key.empty()) query.emplace(decode_url(key, true), decode_url(value, true));
  });
}

}  // namespace smartchurn::server
