# The per-language stop lists, generated from the source lists kept in data/stopwords (no
# network at build time). Any change to the data or to the rules regenerates the table.
set(wordcrawl_stop_words_data ${CMAKE_CURRENT_SOURCE_DIR}/data/stopwords)
set(wordcrawl_stop_words_inc ${CMAKE_CURRENT_BINARY_DIR}/generated/stop_words.inc)
file(GLOB wordcrawl_stop_words_sources CONFIGURE_DEPENDS
  ${wordcrawl_stop_words_data}/snowball/*.stop
  ${wordcrawl_stop_words_data}/stopwords-iso/stopwords-iso.json)

add_custom_command(
  OUTPUT ${wordcrawl_stop_words_inc}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/generated
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_stop_words.py
          ${wordcrawl_stop_words_data} ${wordcrawl_stop_words_inc}
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_stop_words.py
          ${CMAKE_CURRENT_SOURCE_DIR}/tools/stop_words.py
          ${wordcrawl_stop_words_sources}
  COMMENT "Generating the per-language stop lists"
  VERBATIM)
add_custom_target(wordcrawl_stop_words DEPENDS ${wordcrawl_stop_words_inc})
add_dependencies(wordcrawl_kernel wordcrawl_stop_words)
target_sources(wordcrawl_kernel PRIVATE ${wordcrawl_stop_words_inc})
target_include_directories(wordcrawl_kernel PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
