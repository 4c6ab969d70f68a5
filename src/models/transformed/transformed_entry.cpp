#include "logp/models/transformed/transformed_entry.hpp"

#include "logp/models/transformed/transformed.hpp"

namespace logp {

ModelEntry transformed_entry() {
  return {"transformed", "a continuous model on transformed data (made by --dequantize, --logit, --standardize)",
          ModelKind::exact_density, nullptr, &TransformedModel::load};
}

void declare_transform_options(OptionList& options, TransformOptions& transform) {
  options.add_flag("dequantize",
                   "on discrete data: v = (x + u) / L, one u ~ U[0,1)^D per example; log p then includes -D ln L "
                   "and is one draw of a lower bound on the discrete log-likelihood",
                   transform.dequantize);
  options.add("dequantize-seed", "seed of the scoring noise u", transform.dequantize_seed);
  options.add_flag("logit", "y = logit(a + (1 - 2a) v) of values in [0, 1], Jacobian included", transform.logit);
  options.add("logit-alpha", "a of --logit", transform.logit_alpha, Range::probability);
  options.add_flag("standardize",
                   "z = (y - mean) / std per dimension, fitted on the training split, Jacobian included",
                   transform.standardize);
  options.add("min-std", "floor on a fitted std (0: a constant dimension is an error)", transform.min_std,
              Range::non_negative);
}

}  // namespace logp
