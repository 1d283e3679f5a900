# Language identification: CLD2, from Debian's libcld2-dev (docs/language-detection.md).
# libcld2 carries the 83-language tables Chromium shipped; on the measured corpus it scored
# higher than the 160-language tables of libcld2_full, which would add 6 MB.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h)
find_library(CLD2_LIBRARY NAMES cld2)
if(NOT CLD2_INCLUDE_DIR OR NOT CLD2_LIBRARY)
  message(FATAL_ERROR
    "CLD2 (language identification) not found: install the Debian package libcld2-dev "
    "(scripts/install-deps.sh)")
endif()
mark_as_advanced(CLD2_INCLUDE_DIR CLD2_LIBRARY)
# SYSTEM: a library's header, outside the project's warning flags (on Debian, /usr/include).
target_include_directories(wordcrawl_kernel SYSTEM PRIVATE ${CLD2_INCLUDE_DIR})
target_link_libraries(wordcrawl_kernel PRIVATE ${CLD2_LIBRARY})
