#pragma once
// Markov chain over pixels: p(x) = prod_i p(x_i | context_i), pixels in raster order.
//
// The context of pixel i is either its `order` predecessors in raster order (order 0 is a fully
// factorized categorical; order 1 is the classic chain p(x1) prod p(x_i | x_{i-1})), or a causal
// template of image neighbours given as (dy, dx) offsets, e.g. left (0,-1), up (-1,0), up-left
// (-1,-1), up-right (-1,1). A neighbour outside the image, and a predecessor before pixel 0, reads
// as the padding value `levels`, so each context slot takes levels + 1 values.
// Tables are position-specific (one per pixel) unless tied, and smoothed with a symmetric
// Dirichlet(alpha) prior: p(v | c) = (n(c, v) + alpha) / (n(c) + alpha * levels), where n counts
// the training examples; a context never seen in training gives the uniform 1 / levels.
// Works on binary and categorical data (2 to 256 levels); real data is refused.
//
// Context codes. The slots of a context are ordered: for `order` k, slot 0 is x_{i-1} (the nearest
// predecessor), slot k-1 is x_{i-k}; for a template, slot j is offset j as given. The code of a
// context is the mixed-radix integer sum_j value_j * (levels + 1)^j; configurations with
// (levels + 1)^slots > 2^64 - 1 are refused.
//
// Storage. A table with positions x contexts x levels <= MarkovOptions::dense_limit entries is kept
// dense (scoring is a table lookup); larger ones (e.g. 256 levels, order 1, position-specific:
// 784 x 257 x 256) keep only the observed (position, context) pairs and their observed values.
// Both give bit-identical log_prob: the storage is a memory/speed choice, never a modelling one.
//
// Model files store the options as attributes (order, context, alpha, tied) and only the nonzero
// counts, whatever the in-memory storage, sorted by (table, context code, value):
//   context_table (int64), context_code (uint64), context_size (int64): one entry per observed
//     context (table = position, or 0 when tied), context_size = how many values it has;
//   value (uint8), count (int64): one entry per observed value, context by context.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logp/model.hpp"

namespace logp {

class DatasetSplit;

struct ContextOffset {
  int dy = 0;  // rows up are negative
  int dx = 0;  // columns left are negative
  bool operator==(const ContextOffset&) const = default;
};

// Tables with more entries (positions x contexts x levels) than this are stored sparsely.
inline constexpr std::uint64_t kMarkovDenseLimit = std::uint64_t{1} << 24;

struct MarkovOptions {
  int order = 1;                       // raster predecessors; used when `context` is empty
  std::vector<ContextOffset> context;  // causal image template (needs an image shape H,W,1)
  double alpha = 1.0;                  // Dirichlet pseudo-count per value, > 0
  bool tied = false;                   // one table shared by all positions
  // Storage threshold in table entries (see above); changes memory and speed, never the values.
  // Tests lower it to 0 to force the sparse path. Not saved: a loaded model uses the default.
  std::uint64_t dense_limit = kMarkovDenseLimit;
};

// "left,up,up-left,up-right" (names) or "0:-1,-1:0" (dy:dx pairs) -> offsets; "" -> none. Refuses
// unknown names, repeated offsets and offsets that are not causal in raster order (causal: dy < 0,
// or dy == 0 and dx < 0); the message names the offending offset.
std::vector<ContextOffset> parse_context(const std::string& text);
// The inverse: names where there is one, dy:dx otherwise ("left,up,-2:0").
std::string format_context(const std::vector<ContextOffset>& offsets);

class MarkovModel : public DensityModel {
 public:
  // Streams the split in batches (bounded memory).
  static MarkovModel fit(const DatasetSplit& train, const MarkovOptions& options);
  // x: D x N with integer values 0..levels-1; spec.dim must equal D.
  static MarkovModel fit(ConstMatrixRef x, const DataSpec& spec, const MarkovOptions& options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "markov"; }
  std::string hyperparameters() const override;  // "order=1, alpha=1", "context=left,up, alpha=0.5, tied"
  // Free parameters, (levels - 1) per context of each table. Configurations of at most
  // kMarkovDenseLimit cells count every context that can occur (2D - 1 for binary, order 1,
  // position-specific); larger ones count only the contexts observed in training (the others stay
  // at the uniform prior). The count does not depend on dense_limit or on the storage used.
  Index num_parameters() const override;
  // Ancestral sampling in raster order, one rng.uniform() per pixel. Returns D x n.
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  const MarkovOptions& options() const { return options_; }
  std::string_view storage() const;  // "dense" or "sparse"
  Index context_slots() const;       // values per context: order, or the number of offsets

  // p(x_i = value | context), context_values in slot order (see above; `levels` is padding), for
  // tests against closed-form counts. Position and values are range-checked.
  double conditional(Index position, const std::vector<int>& context_values, int value) const;

  ~MarkovModel() override;
  MarkovModel(MarkovModel&&) noexcept;

 private:
  struct Tables;  // context layout + count tables (src/models/markov.cpp)
  MarkovModel(DataSpec spec, MarkovOptions options, std::unique_ptr<Tables> tables);
  Vector log_prob_impl(ConstMatrixRef x) const override;

  MarkovOptions options_;
  std::unique_ptr<Tables> tables_;
};

}  // namespace logp
