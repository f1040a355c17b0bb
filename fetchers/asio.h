#pragma once

// The only way to include Boost.Asio in newsd (STYLE.md c.3). GCC 12 with Boost 1.74 needs
// <utility> before Asio for coroutines; clang-tidy 14 needs the two macros below.
#include <utility>

#ifndef BOOST_ASIO_HAS_CO_AWAIT
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
#ifndef BOOST_ASIO_HAS_STD_COROUTINE
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif
#ifndef BOOST_ASIO_NO_DEPRECATED
#define BOOST_ASIO_NO_DEPRECATED 1
#endif

#include <boost/asio.hpp>

namespace newsd {
namespace asio = boost::asio;
}  // namespace newsd
