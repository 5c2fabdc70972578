#include "server/request_guard.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "server/error_response.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

struct Authority {
  std::string host;  // lower case, IPv6 without brackets
  std::optional<int> port;
};

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

// "name", "name:port", "[v6]" or "[v6]:port"; nullopt for anything else (an IPv6 address must be
// bracketed, a name holds only letters, digits, '-', '.' and '_').
std::optional<Authority> parse_authority(std::string_view text) {
  Authority result;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    result.host = lower(text.substr(1, close - 1));
    in6_addr address{};
    if (inet_pton(AF_INET6, result.host.c_str(), &address) != 1) return std::nullopt;
    rest = text.substr(close + 1);
  } else {
    const std::size_t colon = text.find(':');
    result.host = lower(text.substr(0, colon));
    if (result.host.empty() ||
        !std::all_of(result.host.begin(), result.host.end(), valid_host_char)) {
      return std::nullopt;
    }
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':') return std::nullopt;
    result.port = parse_port(rest.substr(1));
    if (!result.port) return std::nullopt;
  }
  return result;
}

// Methods a page must not be able to send on the user's behalf.
bool changes_state(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// What a page can send cross-site without a CORS preflight (fetch no-cors, an HTML form).
bool form_like(const std::string& content_type) {
  const std::string media = lower(content_type.substr(0, content_type.find(';')));
  const auto first = media.find_first_not_of(" \t");
  if (first == std::string::npos) return true;  // no Content-Type at all
  const std::string type = media.substr(first, media.find_last_not_of(" \t") - first + 1);
  return type == "text/plain" || type == "application/x-www-form-urlencoded" ||
         type == "multipart/form-data";
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

bool is_loopback_address(std::string_view host) {
  const std::string text = lower(host);
  if (text == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

bool is_wildcard_address(std::string_view host) {
  if (host.empty()) return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return v4.s_addr == htonl(INADDR_ANY);
  in6_addr v6{};
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_UNSPECIFIED(&v6);
}

RequestGuard::RequestGuard(RequestGuardOptions options) : options_(std::move(options)) {
  const bool wildcard = is_wildcard_address(options_.bind_host);
  check_host_ = !wildcard || !options_.allowed_hosts.empty();
  if (!wildcard) allowed_.push_back({lower(options_.bind_host), kBoundPortOrNone});
  if (wildcard || is_loopback_address(options_.bind_host)) {
    for (const char* name : {"localhost", "127.0.0.1", "::1"}) {
      allowed_.push_back({name, kBoundPortOrNone});
    }
  }
  for (const std::string& entry : options_.allowed_hosts) {
    const auto authority = parse_authority(entry);
    if (!authority) {
      throw_usage(fmt::format(
          "--allowed-hosts: '{}' is not a host name or host:port (IPv6 as [addr]:port)", entry));
    }
    allowed_.push_back({authority->host, authority->port.value_or(kBoundPortOrNone)});
  }
}

bool RequestGuard::host_allowed(const std::string& host, std::optional<int> port,
                                bool port_required) const {
  return std::any_of(allowed_.begin(), allowed_.end(), [&](const AllowedHost& allowed) {
    if (allowed.host != host) return false;
    if (allowed.port != kBoundPortOrNone) return port == allowed.port;
    return port ? *port == options_.port : !port_required;
  });
}

// This server's own origin: the Host it was reached by (once that passed the Host check), or one
// of its allowed names with the bound port.
bool RequestGuard::own_origin(const std::string& origin, const std::string& host_header) const {
  const std::string text = lower(origin);
  std::string_view rest(text);
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else {
    return false;  // "null" (a sandboxed page, a file) or anything else
  }
  if (!host_header.empty() && rest == lower(host_header)) return true;
  const auto authority = parse_authority(rest);
  return authority && authority->port && host_allowed(authority->host, authority->port, true);
}

std::string RequestGuard::own_address() const {
  const std::string host =
      is_wildcard_address(options_.bind_host) ? "127.0.0.1" : options_.bind_host;
  return fmt::format("http://{}:{}/", bracketed(host), options_.port);
}

std::optional<Response> RequestGuard::check(const Request& request) const {
  const std::string host_header = request.header("host");
  if (check_host_) {
    const auto authority = parse_authority(host_header);
    if (!authority || !host_allowed(authority->host, authority->port, false)) {
      const std::string what = host_header.empty() ? std::string("the request has no Host header")
                                                   : fmt::format(
                                                         "Host '{}' is not an address of "
                                                         "this server",
                                                         host_header);
      return error_response(
          403, "host_not_allowed",
          fmt::format("{}: open the dashboard from {}, or list the name it is reached by in "
                      "--allowed-hosts (config key allowed_hosts)",
                      what, own_address()),
          "Host");
    }
  }
  if (!changes_state(request.method)) return std::nullopt;

  const std::string origin = request.header("origin");
  const std::string fetch_site = lower(request.header("sec-fetch-site"));
  const bool foreign = !origin.empty() ? !own_origin(origin, host_header)
                                       : fetch_site == "cross-site" || fetch_site == "same-site";
  if (!foreign) return std::nullopt;
  const bool form = form_like(request.header("content-type"));
  if (options_.tokens_enabled && !form) return std::nullopt;
  const std::string from =
      origin.empty() ? fmt::format("a {} page", fetch_site) : fmt::format("'{}'", origin);
  const std::string remedy =
      options_.tokens_enabled
          ? "send JSON with an API token (Authorization: Bearer), or use the dashboard at " +
                own_address()
          : "open the dashboard from the server's own address " + own_address() +
                ", list the name it is opened by in --allowed-hosts, or configure API tokens "
                "(--tokens) for other clients";
  return error_response(403, "cross_site_request",
                        fmt::format("{} {} from {} refused: it does not come from this server's "
                                    "own pages; {}",
                                    request.method, request.path, from, remedy),
                        origin.empty() ? "Sec-Fetch-Site" : "Origin");
}

Router::Guard RequestGuard::as_router_guard() const {
  return [guard = *this](const Request& request) { return guard.check(request); };
}

}  // namespace smartchurn::server
