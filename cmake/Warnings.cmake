# Compiler flags shared by every target: strict warnings, optional sanitizers.
add_compile_options(-Wall -Wextra -Werror)
if(NEWSD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
