#pragma once
// Markov chain over pixels: p(x) = prod_i p(x_i | context_i), pixels in raster order.
//
// The context of pixel i is either its `order` predecessors in raster order (order 0 is a fully
// factorized categorical; order 1 is the seed's chain p(x1) prod p(x_i | x_{i-1})), or a causal
// template of image neighbours given as (dy, dx) offsets, e.g. left (0,-1), up (-1,0), up-left
// (-1,-1), up-right (-1,1). A neighbour outside the image reads as the padding value `levels`.
// Tables are position-specific (one per pixel) unless tied, and smoothed with a symmetric
// Dirichlet(alpha) prior: p(v | c) = (n(c, v) + alpha) / (n(c) + alpha * levels).
// Works on binary and categorical data (up to 256 levels).
#include <memory>
#include <string>
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

struct MarkovOptions {
  int order = 1;                       // raster predecessors; used when `context` is empty
  std::vector<ContextOffset> context;  // causal image template (needs an image shape)
  double alpha = 1.0;                  // Dirichlet pseudo-count per value, > 0
  bool tied = false;                   // one table shared by all positions
};

// "left,up,up-left,up-right" (names) or "0:-1,-1:0" (dy:dx pairs) -> offsets. Refuses offsets
// that are not causal in raster order (dy < 0, or dy == 0 and dx < 0).
std::vector<ContextOffset> parse_context(const std::string& text);

class MarkovModel : public DensityModel {
 public:
  static MarkovModel fit(const DatasetSplit& train, const MarkovOptions& options);
  static MarkovModel fit(ConstMatrixRef x, const DataSpec& spec, const MarkovOptions& options);  // x: D x N
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "markov"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override;
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;

  const MarkovOptions& options() const { return options_; }
  // p(x_i = value | the context values of pixel i), for tests against closed-form counts.
  double conditional(Index position, const std::vector<int>& context_values, int value) const;

  ~MarkovModel() override;
  MarkovModel(MarkovModel&&) noexcept;

 private:
  struct Tables;
  MarkovModel(DataSpec spec, MarkovOptions options, std::unique_ptr<Tables> tables);
  Vector log_prob_impl(ConstMatrixRef x) const override;

  MarkovOptions options_;
  std::unique_ptr<Tables> tables_;
};

}  // namespace logp
