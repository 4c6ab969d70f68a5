# Sourced by the peer comparison scripts: the peers run at their best on this CPU.
# This environment pins OpenBLAS to its Haswell (AVX2) kernels (OPENBLAS_CORETYPE=Haswell,
# OPENBLAS_L2_SIZE); on an AVX-512 CPU that slows numpy's and PyTorch's GEMMs by up to 1.8x
# (benchmarks/results/gemm_shapes.md). A peer at its best uses the kernels OpenBLAS detects.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
