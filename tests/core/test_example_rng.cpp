#include <catch2/catch.hpp>

#include "logp/core/example_rng.hpp"

using namespace logp;

TEST_CASE("example_rng depends on the seed and on every value of the example", "[core][rng]") {
  Matrix x(3, 2);
  x << 0.0f, 0.0f, 1.0f, 1.0f, 0.5f, 0.5f;  // two identical columns
  const std::uint64_t a = example_rng(7, x.col(0).data(), 3).next_u64();
  CHECK(a == example_rng(7, x.col(1).data(), 3).next_u64());  // same content, same stream
  CHECK(a != example_rng(8, x.col(0).data(), 3).next_u64());  // another seed
  for (Index i = 0; i < 3; ++i) {
    Matrix y = x;
    y(i, 1) = std::nextafter(y(i, 1), 2.0f);  // the smallest change of one value
    CHECK(a != example_rng(7, y.col(1).data(), 3).next_u64());
  }
}
