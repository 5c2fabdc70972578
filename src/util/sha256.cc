// SHA-256 fingerprints through OpenSSL's EVP interface, streaming the file in chunks.
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace smartchurn {

namespace {

struct DigestContext {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};

  DigestContext() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
      throw Error(ErrorCode::kInternal, "OpenSSL cannot start a SHA-256 digest");
    }
  }
  void update(const char* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx.get(), data, size) != 1) {
      throw Error(ErrorCode::kInternal, "OpenSSL SHA-256 update failed");
    }
  }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1) {
      throw Error(ErrorCode::kInternal, "OpenSSL SHA-256 final failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
      out.push_back(kHex[digest[i] >> 4]);
      out.push_back(kHex[digest[i] & 0x0F]);
    }
    return out;
  }
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  DigestContext digest;
  digest.update(bytes.data(), bytes.size());
  return digest.hex();
}

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io("cannot open '" + path + "' for reading", detail::location(path));
  DigestContext digest;
  std::vector<char> chunk(1 << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) digest.update(chunk.data(), got);
  }
  if (in.bad()) throw_io("cannot read '" + path + "'", detail::location(path));
  return digest.hex();
}

}  // namespace smartchurn
