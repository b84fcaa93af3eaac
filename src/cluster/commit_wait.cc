#include "strata/cluster/commit_wait.h"

#include <memory>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace strata::cluster {

boost::asio::awaitable<commit_outcome> wait_committed(boost::asio::any_io_executor ex, topic_table& topics,
                                                      topic_partition tp, int64_t last_offset,
                                                      std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        auto* p = topics.find(tp);
        if (!p || !p->is_leader()) co_return commit_outcome::not_leader;
        if (p->high_watermark() > last_offset) co_return commit_outcome::committed;
        if (std::chrono::steady_clock::now() >= deadline) co_return commit_outcome::timed_out;
        auto w = std::make_shared<waiter>(ex);
        w->timer.expires_at(deadline);
        p->add_commit_waiter(w);
        boost::system::error_code ignored;
        co_await w->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
}

} // namespace strata::cluster
