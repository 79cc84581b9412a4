# cmake -DMODE=find_package|add_subdirectory -DPAGED_SOURCE_DIR=... -DCONSUMER_DIR=... -DWORK_DIR=...
#       -DGENERATOR=... -DCXX_COMPILER=... -P build_consumer.cmake
file(REMOVE_RECURSE "${WORK_DIR}")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "command failed (${status}): ${ARGN}\n${output}")
    endif()
endfunction()

set(common -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)

if(MODE STREQUAL "find_package")
    run(${CMAKE_COMMAND} -S "${PAGED_SOURCE_DIR}" -B "${WORK_DIR}/paged" ${common}
        -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix
        -DPAGED_BUILD_TESTS=OFF -DPAGED_BUILD_EXAMPLES=OFF -DPAGED_BUILD_BENCHMARKS=OFF)
    run(${CMAKE_COMMAND} --install "${WORK_DIR}/paged")
    set(locate -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
elseif(MODE STREQUAL "add_subdirectory")
    set(locate -DPAGED_SOURCE_DIR=${PAGED_SOURCE_DIR})
else()
    message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" ${common} ${locate})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/consumer")
run("${WORK_DIR}/consumer/consumer")
run("${WORK_DIR}/consumer/http_consumer")
message(STATUS "consumer built with ${MODE} and ran")
