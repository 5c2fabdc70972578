// open_input: plain files through filebuf, standard input through cin's buffer, and gzip through
// zlib's inflate over either (the magic bytes decide, so `export.csv.gz` and a gzipped stdin both
// work). zlib is the reference implementation of the format; this file only adapts it to a
// streambuf, which is what the CSV reader and the batch scorer read from.
#include "data/input_file.h"

#include <zlib.h>

#include <fstream>
#include <iostream>
#include <vector>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "util/sha256.h"

namespace smartchurn::detail {

namespace {

constexpr std::size_t kChunkBytes = 1 << 18;

// Inflates a gzip stream (several concatenated members too, as `cat a.gz b.gz` makes) from
// `source`, which it owns when `owned_source` is set.
class GzipBuffer : public std::streambuf {
 public:
  GzipBuffer(std::streambuf* source, std::unique_ptr<std::streambuf> owned_source, std::string name)
      : source_(source), owned_source_(std::move(owned_source)), name_(std::move(name)) {
    // 15 + 16: a gzip wrapper with the largest window.
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) {
      throw Error(ErrorCode::kInternal, "zlib cannot start decompressing");
    }
  }
  ~GzipBuffer() override { inflateEnd(&stream_); }
  GzipBuffer(const GzipBuffer&) = delete;
  GzipBuffer& operator=(const GzipBuffer&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    while (!finished_) {
      if (stream_.avail_in == 0 && !fill_input()) {
        if (!member_ended_)
          throw_bad_data("the gzip data ends early (truncated file?)", location(name_));
        finished_ = true;
        break;
      }
      if (member_ended_) {  // another member follows the last one
        inflateReset(&stream_);
        member_ended_ = false;
      }
      stream_.next_out = reinterpret_cast<Bytef*>(output_.data());
      stream_.avail_out = static_cast<uInt>(output_.size());
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        member_ended_ = true;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        throw_bad_data(std::string("not valid gzip data: ") +
                           (stream_.msg != nullptr ? stream_.msg : "corrupt stream"),
                       location(name_));
      }
      const std::size_t produced = output_.size() - stream_.avail_out;
      if (produced > 0) {
        setg(output_.data(), output_.data(), output_.data() + produced);
        return traits_type::to_int_type(*gptr());
      }
    }
    return traits_type::eof();
  }

 private:
  bool fill_input() {
    const auto got = source_->sgetn(input_.data(), static_cast<std::streamsize>(input_.size()));
    if (got <= 0) return false;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
    stream_.avail_in = static_cast<uInt>(got);
    return true;
  }

  std::streambuf* source_;
  std::unique_ptr<std::streambuf> owned_source_;
  std::string name_;
  z_stream stream_{};
  std::vector<char> input_ = std::vector<char>(kChunkBytes);
  std::vector<char> output_ = std::vector<char>(kChunkBytes);
  bool member_ended_ = false;
  bool finished_ = false;
};

bool starts_with_gzip_magic(std::streambuf& buffer, const std::string& name) {
  if (buffer.sgetc() != 0x1F) return false;
  const int second = buffer.snextc();                            // steps over the first byte...
  if (buffer.sungetc() == std::streambuf::traits_type::eof()) {  // ...and back: one byte of putback
    throw_io("cannot re-read the first byte of the input", location(name));
  }
  return second == 0x8B;
}

}  // namespace

InputFile open_input(const std::string& path) {
  InputFile input;
  std::streambuf* raw = nullptr;
  std::unique_ptr<std::streambuf> owned_raw;
  if (path == "-") {
    input.name = kStdinName;
    raw = std::cin.rdbuf();
  } else {
    input.name = path;
    auto file = std::make_unique<std::filebuf>();
    if (file->open(path, std::ios::in | std::ios::binary) == nullptr) {
      throw_io("cannot open '" + path + "' for reading", location(path));
    }
    raw = file.get();
    owned_raw = std::move(file);
  }
  if (starts_with_gzip_magic(*raw, input.name)) {
    input.owned = std::make_unique<GzipBuffer>(raw, std::move(owned_raw), input.name);
  } else {
    input.owned = std::move(owned_raw);
  }
  input.stream = std::make_unique<std::istream>(input.owned ? input.owned.get() : raw);
  // istream turns a decompressor's exception into badbit; rethrown, it keeps its message.
  input.stream->exceptions(std::ios::badbit);
  return input;
}

}  // namespace smartchurn::detail

namespace smartchurn {

// Of the file's bytes as stored (a bundle, say), not decompressed.
std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io("cannot open '" + path + "' for reading", detail::location(path));
  Sha256 digest;
  std::vector<char> chunk(1 << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) digest.update({chunk.data(), got});
  }
  if (in.bad()) throw_io("cannot read '" + path + "'", detail::location(path));
  return digest.hex();
}

}  // namespace smartchurn
