# Builds and runs tests/package/consumer against paged one way, as a user would:
#   cmake -DMODE=<mode> -DPAGED_SOURCE_DIR=... -DCONSUMER_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=...
#         -P build_consumer.cmake
# Modes:
#   find_package             installed package, no COMPONENTS: core and (its dependencies being there) http
#   find_package_components  COMPONENTS http redis; also PAGED_HTTP_SEPARATE_COMPILATION with the installed impl/
#   find_package_core_only   no libcurl to be found: the core still loads, paged::http does not exist
#   find_package_http_refused COMPONENTS http without libcurl: configuring fails, saying why
#   add_subdirectory         a source tree
#   add_subdirectory_core    a source tree on a machine without libcurl: HTTP turns itself off
#   fetchcontent             FetchContent from a local path
#   pkg_config               the installed paged.pc and paged-http.pc, with a plain compiler command
#   single_header            single_include/ alone (scripts/amalgamate.py), with a plain compiler command
file(REMOVE_RECURSE "${WORK_DIR}")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "command failed (${status}): ${ARGN}\n${output}")
    endif()
endfunction()

set(common -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)
set(no_curl -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON)
set(programs consumer http_consumer)

if(MODE MATCHES "^(find_package|pkg_config)")
    run(${CMAKE_COMMAND} -S "${PAGED_SOURCE_DIR}" -B "${WORK_DIR}/paged" ${common}
        -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix
        -DPAGED_BUILD_TESTS=OFF -DPAGED_BUILD_EXAMPLES=OFF -DPAGED_BUILD_BENCHMARKS=OFF)
    run(${CMAKE_COMMAND} --install "${WORK_DIR}/paged")
    set(locate -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()

if(MODE STREQUAL "find_package")
elseif(MODE STREQUAL "find_package_components")
    list(APPEND locate -DPAGED_COMPONENTS=http,redis -DSEPARATE_ENGINE=ON)
    list(APPEND programs redis_consumer http_consumer_separately)
elseif(MODE STREQUAL "find_package_core_only")
    list(APPEND locate ${no_curl} -DCORE_ONLY=ON)
    set(programs consumer)
elseif(MODE STREQUAL "find_package_http_refused")
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" ${common} ${locate}
                            ${no_curl} -DPAGED_COMPONENTS=http
                    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(status EQUAL 0 OR NOT output MATCHES "Component http needs libcurl")
        message(FATAL_ERROR "COMPONENTS http without libcurl should fail, saying why; got (${status}):\n${output}")
    endif()
    message(STATUS "find_package(paged COMPONENTS http) without libcurl failed as it should")
    return()
elseif(MODE STREQUAL "add_subdirectory")
    set(locate -DPAGED_SOURCE_DIR=${PAGED_SOURCE_DIR})
elseif(MODE STREQUAL "add_subdirectory_core")
    set(locate -DPAGED_SOURCE_DIR=${PAGED_SOURCE_DIR} ${no_curl} -DCORE_ONLY=ON)
    set(programs consumer)
elseif(MODE STREQUAL "fetchcontent")
    set(locate -DPAGED_FETCH_FROM=${PAGED_SOURCE_DIR})
elseif(MODE STREQUAL "pkg_config")
    set(ENV{PKG_CONFIG_PATH} "${WORK_DIR}/prefix/share/pkgconfig")
    foreach(pair IN ITEMS "consumer:paged" "http_consumer:paged-http")
        string(REPLACE ":" ";" pair "${pair}")
        list(GET pair 0 program)
        list(GET pair 1 package)
        execute_process(COMMAND pkg-config --cflags --libs ${package} RESULT_VARIABLE status
                        OUTPUT_VARIABLE flags ERROR_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(NOT status EQUAL 0)
            message(FATAL_ERROR "pkg-config ${package} failed: ${flags}")
        endif()
        separate_arguments(flags UNIX_COMMAND "${flags}")
        if(program STREQUAL "consumer")
            set(source main.cpp)
        else()
            set(source http_main.cpp)
        endif()
        run(${CXX_COMPILER} -std=c++20 -o "${WORK_DIR}/${program}" "${CONSUMER_DIR}/${source}" ${flags})
        run("${WORK_DIR}/${program}")
    endforeach()
    message(STATUS "consumers built with pkg-config and ran")
    return()
elseif(MODE STREQUAL "single_header")
    file(MAKE_DIRECTORY "${WORK_DIR}")
    set(single -std=c++20 -I "${PAGED_SOURCE_DIR}/single_include")
    run(${CXX_COMPILER} ${single} -o "${WORK_DIR}/consumer" "${CONSUMER_DIR}/main.cpp")
    run("${WORK_DIR}/consumer")
    run(${CXX_COMPILER} ${single} -o "${WORK_DIR}/http_consumer" "${CONSUMER_DIR}/single_header_http.cpp" -lcurl)
    run("${WORK_DIR}/http_consumer")
    message(STATUS "consumers built with single_include/ alone and ran")
    return()
else()
    message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer" ${common} ${locate})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/consumer")
foreach(program IN LISTS programs)
    run("${WORK_DIR}/consumer/${program}")
endforeach()
message(STATUS "consumer built with ${MODE} and ran: ${programs}")
