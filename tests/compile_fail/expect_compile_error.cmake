# cmake -DCOMPILER=... -DSOURCE=... -DINCLUDE=... -DEXPECTED=<regex> -P expect_compile_error.cmake
execute_process(
    COMMAND ${COMPILER} -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I${INCLUDE} ${SOURCE}
    RESULT_VARIABLE result
    ERROR_VARIABLE diagnostics
    OUTPUT_VARIABLE output)
if(result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but must not")
endif()
if(NOT diagnostics MATCHES "${EXPECTED}")
    message(FATAL_ERROR "${SOURCE} failed to compile without saying '${EXPECTED}':\n${diagnostics}")
endif()
string(REGEX MATCHALL "\n" lines "${diagnostics}")
list(LENGTH lines count)
message(STATUS "refused as expected, ${count} lines of diagnostics")
