// Included first in every logp translation unit by GCC < 13 (CMakeLists.txt). Those versions
// warn about the deliberately undefined operands of their own x86 intrinsics
// (`__m512 __Y = __Y;` in _mm512_undefined_ps) wherever Eigen inlines them: GCC bug 105593,
// thousands of false warnings with -march=native on AVX-512. GCC's diagnostic pragmas apply by
// source location, so this silences the warnings located in the intrinsic headers only; the same
// warnings in our code are still reported.
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

// GCC 12 bug 105329: at -O3 it reports -Wrestrict inside libstdc++'s char_traits.h for
// `"literal" + std::string` concatenations (an impossible overlap of 2^63 bytes). As above, the
// warning is silenced where GCC locates it, in that header, and nowhere else.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include <string>
#pragma GCC diagnostic pop
