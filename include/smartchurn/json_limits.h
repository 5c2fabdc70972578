// Limits checked on untrusted JSON text before it is parsed (part of the public API: the server
// checks request bodies with it, the core bundles and playbooks): nlohmann's parser is iterative,
// but copying, comparing and dumping a parsed value recurse once per level, so a body nested
// 100,000 deep would exhaust the stack after parsing. One linear pass over the bytes, no
// allocation.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace smartchurn::util {

// Where `text` first opens an array or object deeper than `max_depth` levels: the 0-based byte
// offset of that bracket, or nullopt when the nesting stays within the limit. Brackets inside
// strings (with their escapes) are not counted; malformed text is left to the parser.
std::optional<std::size_t> json_too_deep(std::string_view text, std::size_t max_depth);

// The default for request bodies and model bundles: far above any real document (a bundle
// nests about 8 levels), far below what the stack can take.
inline constexpr std::size_t kMaxJsonDepth = 64;

}  // namespace smartchurn::util
