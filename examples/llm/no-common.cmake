# Included by examples/llm/setup.sh into llama-cpp-python's CMake project
# (CMAKE_PROJECT_llama_cpp_INCLUDE), right after its project() call.
#
# llama-cpp-python forces LLAMA_BUILD_COMMON on in the cache, so llama.cpp
# compiles its "common" library: about 50 of the 127 C++ files, HTTP client
# and chat parsers among them. The Python package never loads it (only
# llama, ggml and the CPU backend). A normal variable of the same name
# shadows the cache entry (policy CMP0126, new since CMake 3.21, which the
# project requires), so llama.cpp, configured below this scope, sees OFF:
# it neither builds nor installs that library.
set(LLAMA_BUILD_COMMON OFF)
