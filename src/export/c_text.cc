#include "export/c_text.h"

#include <cmath>
#include <cstdio>

namespace smartchurn::exporter {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "%.*g" output made into a floating literal: "1" would be an integer, so add ".0".
std::string floating_text(double value, int digits) {
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  std::string out = text;
  if (out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

}  // namespace

std::string c_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '?') {
      out += '\\';
      out += c;
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\%03o", static_cast<unsigned>(byte));
      out += escape;
    }
  }
  return out + "\"";
}

std::string c_comment(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unsafe = byte < 0x20 || byte >= 0x7f || c == '\\' || c == '?' ||
                  (c == '/' && !out.empty() && out.back() == '*') ||
                  (c == '*' && !out.empty() && out.back() == '/');
    out += unsafe ? '_' : c;
  }
  return out;
}

std::string c_identifier_upper(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += is_alnum(c) ? c : '_';
  }
  return out;
}

bool is_c_identifier(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '_') return false;
  }
  return true;
}

std::string c_double(double value) {
  if (std::isnan(value)) return "NAN";
  if (std::isinf(value)) return value > 0 ? "HUGE_VAL" : "(-HUGE_VAL)";
  return floating_text(value, 17);
}

std::string c_float(float value) {
  if (std::isnan(value)) return "NAN";
  if (std::isinf(value)) return value > 0 ? "HUGE_VALF" : "(-HUGE_VALF)";
  return floating_text(static_cast<double>(value), 9) + "f";
}

}  // namespace smartchurn::exporter
