// The players' losses (include/logp/models/gan/adversarial_loss.hpp).
#include "logp/models/gan/adversarial_loss.hpp"

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"

namespace logp {

std::string adversarial_loss_name(AdversarialLoss loss) {
  switch (loss) {
    case AdversarialLoss::non_saturating: return "non-saturating";
    case AdversarialLoss::minimax: return "minimax";
    case AdversarialLoss::least_squares: return "least-squares";
  }
  return "unknown";
}

AdversarialLoss parse_adversarial_loss(const std::string& text) {
  for (AdversarialLoss loss : {AdversarialLoss::non_saturating, AdversarialLoss::minimax, AdversarialLoss::least_squares})
    if (adversarial_loss_name(loss) == text) return loss;
  throw Error("unknown adversarial loss '" + text + "' (non-saturating, minimax, least-squares)");
}

template <class T>
ad::BasicVar<T> discriminator_loss(ad::BasicVar<T> d_real, ad::BasicVar<T> d_fake, AdversarialLoss loss) {
  if (loss == AdversarialLoss::least_squares) {
    const ad::BasicVar<T> real_part = ad::sum(ad::square(ad::add_scalar(d_real, T(-1))));
    return ad::scale(ad::add(real_part, ad::sum(ad::square(d_fake))), T(0.5));
  }
  return ad::add(ad::sum(ad::softplus(ad::scale(d_real, T(-1)))), ad::sum(ad::softplus(d_fake)));
}

template <class T>
ad::BasicVar<T> generator_loss(ad::BasicVar<T> d_fake, AdversarialLoss loss) {
  switch (loss) {
    case AdversarialLoss::non_saturating: return ad::sum(ad::softplus(ad::scale(d_fake, T(-1))));
    case AdversarialLoss::minimax: return ad::scale(ad::sum(ad::softplus(d_fake)), T(-1));
    case AdversarialLoss::least_squares:
      return ad::scale(ad::sum(ad::square(ad::add_scalar(d_fake, T(-1)))), T(0.5));
  }
  throw Error("generator_loss: unknown loss");
}

double discriminator_output_sum(const Matrix& d, AdversarialLoss loss) {
  if (loss == AdversarialLoss::least_squares) return d.cast<double>().sum();
  return (1.0 / (1.0 + (-d.cast<double>().array()).exp())).sum();
}

#define LOGP_INSTANTIATE(T)                                                                                      \
  template ad::BasicVar<T> discriminator_loss(ad::BasicVar<T>, ad::BasicVar<T>, AdversarialLoss);                \
  template ad::BasicVar<T> generator_loss(ad::BasicVar<T>, AdversarialLoss);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp
