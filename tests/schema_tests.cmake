# The JSON report against report/report-v1.schema.json. Included from tests/CMakeLists.txt,
# which has already run find_package(GTest REQUIRED) and include(GoogleTest).
add_executable(schema_test ${CMAKE_CURRENT_LIST_DIR}/schema_test.cc)
target_link_libraries(schema_test PRIVATE claimdiff::report GTest::gtest_main claimdiff_warnings)
target_include_directories(schema_test SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIR})
target_compile_definitions(schema_test PRIVATE CLAIMDIFF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(schema_test DISCOVERY_TIMEOUT 60)
