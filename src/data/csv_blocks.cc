#include "data/csv_blocks.h"

#include <algorithm>
#include <cstring>

#include "data/text_util.h"
#include "smartchurn/error.h"

namespace smartchurn::detail {

CsvBlockSplitter::CsvBlockSplitter(std::istream& in, std::string name, char delimiter,
                                   std::string first, std::size_t block_bytes,
                                   std::size_t max_record_bytes)
    : in_(in),
      name_(std::move(name)),
      delimiter_(delimiter),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)),
      max_record_bytes_(max_record_bytes),
      carry_(first.begin(), first.end()) {}

std::size_t CsvBlockSplitter::read_into(std::vector<char>& block, std::size_t bytes) {
  const std::size_t old = block.size();
  block.resize(old + bytes);
  in_.read(block.data() + old, static_cast<std::streamsize>(bytes));
  if (in_.bad()) throw_io("cannot read the file", location(name_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  block.resize(old + got);
  if (got < bytes) input_done_ = true;  // read() stops short only at the end
  return got;
}

void CsvBlockSplitter::note_line_ends(const std::vector<char>& block, std::size_t begin,
                                      std::size_t end) {
  if (end <= begin) return;
  const char* b = block.data();
  if (const void* lf = memrchr(b + begin, '\n', end - begin)) {
    cut_ = static_cast<std::size_t>(static_cast<const char*>(lf) - b) + 1;
    return;
  }
  // A lone CR ends a line too; it is a cut once the byte after it is known not to be an LF, so
  // that a CRLF is never split.
  if (const void* cr = memrchr(b + begin, '\r', end - begin)) {
    const auto at = static_cast<std::size_t>(static_cast<const char*>(cr) - b);
    if (at + 1 < block.size() && b[at + 1] != '\n') cut_ = at + 1;
  }
}

void CsvBlockSplitter::scan(const std::vector<char>& block, std::size_t to) {
  const char* b = block.data();
  const std::size_t size = block.size();
  std::size_t i = scanned_;
  while (i < to) {
    const void* found = std::memchr(b + i, '"', to - i);
    const std::size_t quote =
        found ? static_cast<std::size_t>(static_cast<const char*>(found) - b) : to;
    if (!inside_) {
      note_line_ends(block, i, quote);
      if (quote == to) {
        i = to;
        break;
      }
      // A quote opens a quoted field only at a field's start; a block starts with a record.
      const char before = quote > 0 ? b[quote - 1] : '\n';
      inside_ = before == delimiter_ || before == '\n' || before == '\r';
      i = quote + 1;
      continue;
    }
    if (quote == to) {
      i = to;
      break;
    }
    if (quote + 1 == size && !input_done_) {
      i = quote;  // a doubled quote or the closing one: the next byte tells
      break;
    }
    if (quote + 1 < size && b[quote + 1] == '"') {
      i = quote + 2;
      continue;
    }
    inside_ = false;
    i = quote + 1;
  }
  scanned_ = std::max(scanned_, i);
}

bool CsvBlockSplitter::next(std::vector<char>& block, bool& cut_short) {
  cut_short = false;
  if (finished_) return false;
  block.assign(carry_.begin(), carry_.end());
  carry_.clear();
  std::size_t target = block_bytes_;
  while (true) {
    if (!input_done_ && block.size() < target) read_into(block, target - block.size());
    const std::size_t limit = std::min(block.size(), target);
    scan(block, limit);
    if (cut_ > 0) break;
    if (input_done_ && limit == block.size()) {
      finished_ = true;  // the last record, without a line end
      return !block.empty();
    }
    if (limit >= max_record_bytes_) {
      cut_short = true;
      finished_ = true;
      return true;
    }
    target = std::max(target, limit) * 2;  // a record longer than a block
  }
  carry_.assign(block.begin() + static_cast<std::ptrdiff_t>(cut_), block.end());
  block.resize(cut_);
  scanned_ -= cut_;
  cut_ = 0;
  return true;
}

}  // namespace smartchurn::detail
