// Vectors whose new elements are left default-initialised rather than zeroed, for the large
// arrays the pipeline sizes first and fills after (a matrix's column indices, written row by
// row while the rows' shingles are freed): resize() does not write the pages, so they join
// the resident set only as they are filled, not all at once.
//
//   UninitializedVector<int32_t> index;
//   index.resize(n);  // no page touched yet
#ifndef CLAIMDIFF_CORE_UNINITIALIZED_H_
#define CLAIMDIFF_CORE_UNINITIALIZED_H_

#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace claimdiff {

template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  explicit DefaultInitAllocator(const DefaultInitAllocator<U>& /*other*/) noexcept {}

  // Value-initialisation (resize, the count constructor) becomes default-initialisation.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <typename T>
using UninitializedVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace claimdiff

#endif  // CLAIMDIFF_CORE_UNINITIALIZED_H_
