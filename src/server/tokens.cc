// API tokens from a file, and Bearer authorization.
#include "server/tokens.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

std::optional<Role> parse_role(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "analyst") return Role::kAnalyst;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Compares without stopping at the first difference, so timing reveals little about a token.
bool same_secret(std::string_view given, std::string_view secret) {
  unsigned difference = given.size() == secret.size() ? 0u : 1u;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const char expected = secret.empty() ? '\0' : secret[i % secret.size()];
    difference |= static_cast<unsigned char>(given[i] ^ expected);
  }
  return difference == 0;
}

}  // namespace

Tokens Tokens::allow_all() { return Tokens(); }

Tokens Tokens::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw_io(fmt::format("cannot read the token file '{}'", path));
  Tokens tokens;
  tokens.enabled_ = true;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const Location where{path, line_number, ""};
    std::string_view content(line);
    content = trim(content.substr(0, content.find('#')));
    if (content.empty()) continue;
    std::istringstream fields{std::string(content)};
    std::string token;
    std::string role_name;
    fields >> token >> role_name;
    if (role_name.empty()) {
      throw_bad_data("expected '<token> <role> [<name>]'", where);
    }
    const std::optional<Role> role = parse_role(role_name);
    if (!role) {
      throw_bad_data(
          fmt::format("unknown role '{}' (expected viewer, analyst or admin)", role_name), where);
    }
    if (!tokens.roles_.emplace(token, *role).second) {
      throw_bad_data("the same token appears twice", where);
    }
  }
  if (in.bad()) throw_io(fmt::format("cannot read the token file '{}'", path));
  if (tokens.roles_.empty()) {
    throw_bad_data("the token file has no tokens (nobody could call the API)",
                   Location{path, 0, ""});
  }
  return tokens;
}

Role Tokens::role_for(const std::string& authorization_header) const {
  if (!enabled_) return Role::kAdmin;
  std::string_view value = trim(authorization_header);
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size()) return Role::kNone;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return Role::kNone;
  }
  if (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t') return Role::kNone;
  const std::string_view token = trim(value.substr(kScheme.size()));
  if (token.empty()) return Role::kNone;
  // Every entry is compared, so the time does not depend on which one matches.
  Role found = Role::kNone;
  for (const auto& [secret, role] : roles_) {
    if (same_secret(token, secret)) found = role;
  }
  return found;
}

}  // namespace smartchurn::server
