#include "data/distinct_rows.h"

#include <bit>
#include <cstdint>
#include <limits>

#include "smartchurn/error.h"

namespace smartchurn {

namespace {

bool holds_values(const Column& c) {
  return c.type() == ColumnType::kNumeric || c.type() == ColumnType::kBoolean;
}

// The bits of a cell value with every NaN alike and -0 as 0, so equal cells hash alike.
uint64_t canonical_bits(double v) {
  if (is_missing(v)) return 0x7ff8000000000000ULL;
  if (v == 0) return 0;
  return std::bit_cast<uint64_t>(v);
}

uint64_t mix(uint64_t hash, uint64_t value) {
  // splitmix64's finaliser over the running hash and the value: cheap and well spread.
  uint64_t z = hash ^ (value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool same_row(std::span<const Column* const> columns, std::size_t a, std::size_t b) {
  for (const Column* c : columns) {
    if (holds_values(*c)) {
      if (canonical_bits(c->values[a]) != canonical_bits(c->values[b])) return false;
    } else if (c->codes[a] != c->codes[b]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::size_t> first_distinct_rows(const Dataset& data,
                                             std::span<const Column* const> columns) {
  const std::size_t rows = data.rows();
  if (rows >= std::numeric_limits<uint32_t>::max()) {
    throw_bad_data("too many rows to look for duplicates (at most 4,294,967,294)",
                   {data.source, 0, ""});
  }
  // Column by column, so each pass reads one contiguous array.
  std::vector<uint64_t> hashes(rows, 0);
  for (const Column* c : columns) {
    if (holds_values(*c)) {
      for (std::size_t r = 0; r < rows; ++r)
        hashes[r] = mix(hashes[r], canonical_bits(c->values[r]));
    } else {
      for (std::size_t r = 0; r < rows; ++r) {
        hashes[r] = mix(hashes[r], static_cast<uint32_t>(c->codes[r]));
      }
    }
  }
  // Open addressing with linear probing; a slot holds row + 1 (0 = empty) and is at most half full.
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(2 * rows, 16));
  const std::size_t mask = capacity - 1;
  std::vector<uint32_t> slots(capacity, 0);
  std::vector<std::size_t> first;
  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t slot = hashes[r] & mask;
    while (true) {
      const uint32_t held = slots[slot];
      if (held == 0) {
        slots[slot] = static_cast<uint32_t>(r + 1);
        first.push_back(r);
        break;
      }
      const std::size_t other = held - 1;
      if (hashes[other] == hashes[r] && same_row(columns, other, r)) break;
      slot = (slot + 1) & mask;
    }
  }
  return first;
}

}  // namespace smartchurn
