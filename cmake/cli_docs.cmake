# The command line's generated pieces: its git revision (`logp --version`), a man page made by
# help2man from `logp --help` (when help2man is installed), and a bash completion script written
# by `logp completion` from the CLI11 app itself. Installed by cmake/install.cmake.

# The revision: one generated source that only the CLI compiles, rewritten only when it changes.
set(LOGP_REVISION_SOURCE ${PROJECT_BINARY_DIR}/generated/git_revision.cpp)
add_custom_target(logp_revision BYPRODUCTS ${LOGP_REVISION_SOURCE}
                  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${LOGP_REVISION_SOURCE}
                          -P ${PROJECT_SOURCE_DIR}/cmake/git_revision.cmake
                  COMMENT "logp: git revision for --version" VERBATIM)
target_sources(logp_cli PRIVATE ${LOGP_REVISION_SOURCE})
add_dependencies(logp_cli logp_revision)

set(LOGP_COMPLETION ${PROJECT_BINARY_DIR}/logp.bash)
add_custom_command(OUTPUT ${LOGP_COMPLETION}
                   COMMAND $<TARGET_FILE:logp_cli> completion --out ${LOGP_COMPLETION}
                   DEPENDS logp_cli COMMENT "logp: bash completion" VERBATIM)
add_custom_target(logp_completion ALL DEPENDS ${LOGP_COMPLETION})

find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(LOGP_MAN_PAGE ${PROJECT_BINARY_DIR}/logp.1)
  add_custom_command(OUTPUT ${LOGP_MAN_PAGE}
                     COMMAND ${HELP2MAN} --no-info --section 1 --name "density estimation from the shell"
                             --include ${PROJECT_SOURCE_DIR}/cmake/logp.h2m --output ${LOGP_MAN_PAGE}
                             $<TARGET_FILE:logp_cli>
                     DEPENDS logp_cli ${PROJECT_SOURCE_DIR}/cmake/logp.h2m COMMENT "logp: man page (help2man)" VERBATIM)
  add_custom_target(logp_man ALL DEPENDS ${LOGP_MAN_PAGE})
else()
  message(STATUS "help2man not found: no man page (tools/setup.sh installs it)")
endif()
