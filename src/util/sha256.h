// Incremental SHA-256 (OpenSSL's EVP interface), for fingerprints of data read as it streams.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace smartchurn {

class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  ~Sha256();

  void update(std::string_view bytes);
  // The digest of everything given so far, as 64 lowercase hex digits; the object is spent.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace smartchurn
