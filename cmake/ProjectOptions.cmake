# Usage-requirement targets linked PRIVATE by every first-party target, so that flags stay
# per target and never leak into the libraries we depend on.

add_library(wordcrawl_warnings INTERFACE)
target_compile_options(wordcrawl_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough -Wformat=2>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${WORDCRAWL_WARNINGS_AS_ERRORS}>>:-Werror>)

add_library(wordcrawl_sanitizers INTERFACE)
if(WORDCRAWL_ENABLE_ASAN AND WORDCRAWL_ENABLE_TSAN)
  message(FATAL_ERROR "ASan and TSan cannot be combined")
endif()
if(WORDCRAWL_ENABLE_ASAN)
  target_compile_options(wordcrawl_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(wordcrawl_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(WORDCRAWL_ENABLE_TSAN)
  # GCC warns that Asio's atomic_thread_fence is invisible to TSan; the fences Asio uses are
  # paired with atomics TSan does see, so the warning is not a finding.
  target_compile_options(wordcrawl_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer
    $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  target_link_options(wordcrawl_sanitizers INTERFACE -fsanitize=thread)
endif()
if(WORDCRAWL_ENABLE_COVERAGE)
  # Atomic counters: workers run the same code at once, and racy counters give gcov negative
  # branch counts that gcovr cannot parse.
  target_compile_options(wordcrawl_sanitizers INTERFACE --coverage -fprofile-update=atomic -O0
    -fno-inline)
  target_link_options(wordcrawl_sanitizers INTERFACE --coverage)
endif()

# wordcrawl_target(<target>): warnings and sanitizer flags for one first-party target.
function(wordcrawl_target target)
  target_link_libraries(${target} PRIVATE wordcrawl_warnings wordcrawl_sanitizers)
endfunction()
