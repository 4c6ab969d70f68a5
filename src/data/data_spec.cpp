#include "logp/data/data_spec.hpp"

#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"

namespace logp {

std::string_view to_string(DataKind kind) {
  switch (kind) {
    case DataKind::binary: return "binary";
    case DataKind::categorical: return "categorical";
    case DataKind::real: return "real";
  }
  return "unknown";
}

DataKind parse_data_kind(std::string_view text) {
  if (text == "binary") return DataKind::binary;
  if (text == "categorical") return DataKind::categorical;
  if (text == "real") return DataKind::real;
  throw Error("unknown data kind '" + std::string(text) + "' (expected binary, categorical or real)");
}

std::string DataSpec::describe() const {
  std::ostringstream out;
  out << to_string(kind);
  if (kind == DataKind::categorical) out << " (" << levels << " levels)";
  out << ", D=" << dim;
  if (!shape.empty()) {
    out << " (";
    for (size_t i = 0; i < shape.size(); ++i) out << (i ? "x" : "") << shape[i];
    out << ")";
  }
  return out.str();
}

void DataSpec::check_accepts(const DataSpec& data, const std::string& where) const {
  if (data.dim != dim)
    throw Error(where + ": examples have D=" + std::to_string(data.dim) + " but the model expects D=" +
                std::to_string(dim));
  if (data.kind != kind)
    throw Error(where + ": data is " + std::string(to_string(data.kind)) + " but the model is for " +
                std::string(to_string(kind)) + " data");
  if (is_discrete() && data.levels != levels)
    throw Error(where + ": data has " + std::to_string(data.levels) + " levels but the model is for " +
                std::to_string(levels) + " levels");
}

void DataSpec::save(const H5Group& g) const {
  g.set_attr("kind", std::string(to_string(kind)));
  g.set_attr("levels", static_cast<std::int64_t>(levels));
  g.set_attr("dim", static_cast<std::int64_t>(dim));
  if (!shape.empty()) g.set_attr("shape", std::vector<std::int64_t>(shape.begin(), shape.end()));
}

DataSpec DataSpec::load(const H5Group& g) {
  const std::string here = g.file() + ":" + g.path();
  DataSpec spec;
  const std::string kind = g.attr_string("kind");
  try {
    spec.kind = parse_data_kind(kind);
  } catch (const Error& e) {
    throw Error(here + ": attribute kind: " + e.what());
  }
  const std::int64_t levels = g.attr_int("levels");
  const bool levels_ok = spec.kind == DataKind::binary        ? levels == 2
                         : spec.kind == DataKind::categorical ? levels >= 2 && levels <= 65536
                                                              : levels == 0;
  if (!levels_ok)
    throw Error(here + ": attribute levels = " + std::to_string(levels) + " does not fit kind " + kind +
                " (binary: 2, categorical: 2..65536, real: 0)");
  spec.levels = static_cast<int>(levels);
  spec.dim = g.attr_int("dim");
  // Some models store nothing of size D (pixelrnn's weights depend on channels, not on H x W), so
  // D is bounded here: 2^26 values per example is 4096 x 4096 x 4, far beyond any logp dataset.
  constexpr Index kMaxDim = Index{1} << 26;
  if (spec.dim <= 0 || spec.dim > kMaxDim)
    throw Error(here + ": attribute dim = " + std::to_string(spec.dim) + " must be in 1.." + std::to_string(kMaxDim));
  if (g.has_attr("shape")) {  // absent: not an image
    const std::vector<std::int64_t> shape = g.attr_ints("shape");
    std::int64_t product = 1;
    bool positive = shape.size() == 3;
    for (const std::int64_t size : shape) {
      positive = positive && size > 0 && size <= spec.dim;
      if (positive) product *= size;  // each factor <= dim, so no overflow before the test below
      positive = positive && product <= spec.dim;
    }
    if (!positive || product != spec.dim) {
      std::string text;
      for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "x" : "") + std::to_string(shape[i]);
      throw Error(here + ": attribute shape = " + text + " does not match dim = " + std::to_string(spec.dim) +
                  " (expected H x W x C with H*W*C = D)");
    }
    spec.shape.assign(shape.begin(), shape.end());
  }
  return spec;
}

std::vector<Index> parse_shape(const std::string& text, Index dim) {
  if (text.empty()) return {};
  std::vector<Index> shape;
  std::stringstream in(text);
  std::string part;
  Index product = 1;
  while (std::getline(in, part, ',')) {
    try {
      shape.push_back(std::stol(part));
    } catch (const std::exception&) {
      throw Error("--shape '" + text + "': '" + part + "' is not an integer");
    }
    if (shape.back() <= 0) throw Error("--shape '" + text + "': sizes must be positive");
    product *= shape.back();
  }
  if (shape.size() == 2) shape.push_back(1);
  if (shape.size() != 3) throw Error("--shape '" + text + "': expected H,W or H,W,C");
  if (dim > 0 && product != dim)
    throw Error("--shape '" + text + "' has " + std::to_string(product) + " values per example but the data has D=" +
                std::to_string(dim));
  return shape;
}

}  // namespace logp
