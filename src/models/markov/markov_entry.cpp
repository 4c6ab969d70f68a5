#include "logp/models/markov/markov_entry.hpp"

#include "logp/models/markov/markov.hpp"

namespace logp {
namespace {

class MarkovFit final : public ModelFit {
 public:
  MarkovFit() {
    options_.add("order", "raster-order predecessors in the context", markov_.order, Range::non_negative);
    options_.add("context", "causal image template, e.g. left,up,up-left,up-right (overrides --order)", context_);
    options_.add("alpha", "Dirichlet prior pseudo-count per value", markov_.alpha, Range::positive);
    options_.add_flag("tied", "one table shared by all positions", markov_.tied);
  }
  std::unique_ptr<Model> fit(const FitContext& context) override {
    MarkovOptions markov = markov_;
    markov.context = parse_context(context_);
    return std::make_unique<MarkovModel>(MarkovModel::fit(context.train, markov));
  }

 private:
  MarkovOptions markov_;
  std::string context_;
};

}  // namespace

ModelEntry markov_entry() {
  return {"markov", "Markov chain over pixels (binary or 256-level data), counted tables", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new MarkovFit); }, &MarkovModel::load};
}

}  // namespace logp
