# Compiler flags shared by every target: strict warnings, optional sanitizers.
add_compile_options(-Wall -Wextra -Werror)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O3 reports false -Wrestrict overlaps inside libstdc++'s string concatenation
  # (GCC bug 105329); keep the warning visible but not fatal.
  add_compile_options(-Wno-error=restrict)
  if(CMAKE_UNITY_BUILD)
    # scripts/test builds its trees as unity builds (several .cc files compiled as one). A
    # type in a .cc file's anonymous namespace held by a class of the file's header is fine
    # in the file itself, but GCC warns once the file is #included into the unity source.
    add_compile_options(-Wno-subobject-linkage)
  endif()
endif()
if(NEWSD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(NEWSD_TSAN)
  # The libraries from Debian (RocksDB, curl) are not instrumented: races are looked for in
  # newsd's own code and in how it hands data between its threads.
  # Asio's handler memory recycling uses std::atomic_thread_fence, which TSan cannot model
  # (GCC warns with -Wtsan): not newsd's code.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()
