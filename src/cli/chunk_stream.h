// Reads a scoring file a chunk of rows at a time, optionally on a background thread, so parsing
// the next chunk overlaps with scoring and writing the current one.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "smartchurn/dataset.h"

namespace smartchurn::cli {

class ChunkStream {
 public:
  // With `read_ahead`, a thread reads chunks of `chunk_rows` rows and keeps at most two ready;
  // without, each next() reads its chunk on the caller's thread.
  ChunkStream(SchemaReader reader, std::size_t chunk_rows, bool read_ahead);
  ~ChunkStream();  // stops and joins the reading thread
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;

  // The next chunk in file order, or false at the end of the file. An error met while reading
  // (kBadData from the CSV) is rethrown here, after the chunks read before it.
  bool next(Dataset& out);
  // Rows rejected in the chunks returned so far, and at the end, in file order.
  const std::vector<RejectedRow>& rejects() const { return rejects_; }

 private:
  struct ReadAhead;
  SchemaReader reader_;
  std::size_t chunk_rows_;
  std::vector<RejectedRow> rejects_;
  std::unique_ptr<ReadAhead> read_ahead_;
};

}  // namespace smartchurn::cli
