#include "cli/chunk_stream.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace smartchurn::cli {

namespace {

// Chunks read but not yet taken: two keep the consumer busy without memory growing.
constexpr std::size_t kQueuedChunks = 2;

struct Chunk {
  Dataset data;  // no rows: the end of the file (its rejects still count)
  std::vector<RejectedRow> rejects;
};

}  // namespace

struct ChunkStream::ReadAhead {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chunk> ready;
  bool finished = false;  // the reader pushed its last chunk or failed
  bool stopping = false;  // the consumer is gone
  std::exception_ptr error;
  std::thread thread;  // last: started once the rest is constructed

  void read_all(SchemaReader& reader, std::size_t chunk_rows) {
    try {
      for (bool more = true; more;) {
        Chunk chunk;
        more = reader.next_chunk(chunk.data, chunk_rows, chunk.rejects);
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stopping || ready.size() < kQueuedChunks; });
        if (stopping) return;
        ready.push_back(std::move(chunk));
        finished = !more;
        lock.unlock();
        changed.notify_all();
      }
    } catch (...) {
      {
        std::lock_guard lock(mutex);
        error = std::current_exception();
        finished = true;
      }
      changed.notify_all();
    }
  }
};

ChunkStream::ChunkStream(SchemaReader reader, std::size_t chunk_rows, bool read_ahead)
    : reader_(std::move(reader)), chunk_rows_(chunk_rows) {
  if (read_ahead) {
    read_ahead_ = std::make_unique<ReadAhead>();
    read_ahead_->thread = std::thread([this] { read_ahead_->read_all(reader_, chunk_rows_); });
  }
}

ChunkStream::~ChunkStream() {
  if (!read_ahead_) return;
  {
    std::lock_guard lock(read_ahead_->mutex);
    read_ahead_->stopping = true;
  }
  read_ahead_->changed.notify_all();
  read_ahead_->thread.join();
}

bool ChunkStream::next(Dataset& out) {
  if (!read_ahead_) return reader_.next_chunk(out, chunk_rows_, rejects_);
  ReadAhead& ahead = *read_ahead_;
  std::unique_lock lock(ahead.mutex);
  ahead.changed.wait(lock, [&] { return !ahead.ready.empty() || ahead.finished; });
  if (ahead.ready.empty()) {
    if (ahead.error) std::rethrow_exception(ahead.error);
    return false;
  }
  Chunk chunk = std::move(ahead.ready.front());
  ahead.ready.pop_front();
  lock.unlock();
  ahead.changed.notify_all();
  rejects_.insert(rejects_.end(), std::make_move_iterator(chunk.rejects.begin()),
                  std::make_move_iterator(chunk.rejects.end()));
  out = std::move(chunk.data);
  return out.rows() > 0;
}

}  // namespace smartchurn::cli
