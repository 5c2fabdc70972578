// Cuts CSV input into blocks of whole records, so each block can be parsed on its own thread.
// Only quotes need following: outside a quoted field every line end ends a record, so the cut
// is found with memchr over the quotes and memrchr for the last line end, at memory speed. A
// quote opens a quoted field only where a field starts (CsvRecordParser's rule: a quote inside
// an unquoted field is text). Not part of the public API.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace smartchurn::detail {

class CsvBlockSplitter {
 public:
  // Reads `in` after the header; `first` holds bytes already read from it (CsvReader's
  // take_unparsed), which start at a record boundary. A block ends at the last record end within
  // `block_bytes`, or after the first record when that one is longer; a record still running
  // after `max_record_bytes` ends the input with a block marked cut short.
  CsvBlockSplitter(std::istream& in, std::string name, char delimiter, std::string first,
                   std::size_t block_bytes, std::size_t max_record_bytes);

  // Replaces `block` (its capacity reused) with the next block; false at the end of the input.
  // `cut_short`: the block ends inside a record longer than max_record_bytes (nothing follows).
  // Throws Error(kIo) when the input cannot be read.
  bool next(std::vector<char>& block, bool& cut_short);

 private:
  // Follows the quotes in block[scanned_, to); sets cut_ after the last record end outside a
  // quoted field.
  void scan(const std::vector<char>& block, std::size_t to);
  void note_line_ends(const std::vector<char>& block, std::size_t begin, std::size_t end);
  std::size_t read_into(std::vector<char>& block, std::size_t bytes);

  std::istream& in_;
  std::string name_;
  char delimiter_;
  std::size_t block_bytes_;
  std::size_t max_record_bytes_;
  std::vector<char> carry_;  // bytes after the last cut, already scanned up to scanned_
  std::size_t scanned_ = 0;
  std::size_t cut_ = 0;  // 0: no record end found yet
  bool inside_ = false;  // scanned_ is inside a quoted field
  bool input_done_ = false;
  bool finished_ = false;
};

}  // namespace smartchurn::detail
