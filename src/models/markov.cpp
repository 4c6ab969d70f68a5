#include "logp/models/markov.hpp"
#include "logp/core/error.hpp"
namespace logp {
struct MarkovModel::Tables {};
std::vector<ContextOffset> parse_context(const std::string&) { return {}; }
MarkovModel MarkovModel::fit(const DatasetSplit&, const MarkovOptions&) { throw Error("markov: in progress"); }
MarkovModel::~MarkovModel() = default;
MarkovModel::MarkovModel(MarkovModel&&) noexcept = default;
}  // namespace logp
namespace logp {
MarkovModel MarkovModel::fit(ConstMatrixRef, const DataSpec&, const MarkovOptions&) { throw Error("markov: in progress"); }
std::unique_ptr<Model> MarkovModel::load(const H5Group&, const DataSpec&) { throw Error("markov: in progress"); }
std::string MarkovModel::hyperparameters() const { return ""; }
Index MarkovModel::num_parameters() const { return 0; }
Matrix MarkovModel::sample(Index, Rng&) const { throw Error("markov: in progress"); }
void MarkovModel::save(const H5Group&) const {}
double MarkovModel::conditional(Index, const std::vector<int>&, int) const { return 0; }
Vector MarkovModel::log_prob_impl(ConstMatrixRef) const { throw Error("markov: in progress"); }
}  // namespace logp
