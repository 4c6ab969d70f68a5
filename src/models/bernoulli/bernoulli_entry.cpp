#include "logp/models/bernoulli/bernoulli_entry.hpp"

#include "logp/models/bernoulli/bernoulli.hpp"

namespace logp {
namespace {

class BernoulliFit final : public ModelFit {
 public:
  BernoulliFit() { options_.add("alpha", "Beta(alpha, alpha) prior pseudo-count per value", alpha_, Range::positive); }
  std::unique_ptr<Model> fit(const FitContext& context) override {
    return std::make_unique<BernoulliModel>(BernoulliModel::fit(context.train, alpha_));
  }

 private:
  double alpha_ = 1.0;
};

}  // namespace

ModelEntry bernoulli_entry() {
  return {"bernoulli", "factorized Bernoulli (binary data), closed form", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new BernoulliFit); }, &BernoulliModel::load};
}

}  // namespace logp
