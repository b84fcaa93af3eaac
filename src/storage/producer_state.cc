#include "strata/storage/producer_state.h"

namespace strata::storage {

void producer_state::entry::push(const batch_meta& m) {
    if (count < batches_to_retain) {
        batches[(head + count) % batches_to_retain] = m;
        ++count;
    } else {
        batches[head] = m;
        head = uint8_t((head + 1) % batches_to_retain);
    }
}

const producer_state::entry* producer_state::find(int64_t producer_id) const {
    auto it = producers_.find(producer_id);
    return it == producers_.end() ? nullptr : &it->second;
}

result<producer_state::outcome, errc> producer_state::check_and_stage(const batch_header& h, int64_t first_offset,
                                                                      int64_t last_offset) {
    entry* staged = nullptr;
    for (auto& [pid, e] : staged_)
        if (pid == h.producer_id)
            staged = &e;
    const entry* known = staged ? staged : find(h.producer_id);
    batch_meta meta{h.base_sequence, h.last_sequence(), first_offset, last_offset};

    entry next;
    if (known && known->count > 0) {
        if (h.producer_epoch < known->epoch)
            return fail(errc::invalid_producer_epoch);
        if (h.producer_epoch == known->epoch) {
            for (uint8_t i = 0; i < known->count; ++i) {
                const auto& b = known->batches[(known->head + i) % batches_to_retain];
                if (b.first_seq == meta.first_seq && b.last_seq == meta.last_seq)
                    return outcome{true, b.first_offset, b.last_offset};
            }
            int32_t last = known->last().last_seq;
            int32_t expected = last == INT32_MAX ? 0 : last + 1;
            // A retry of a batch written before the ones remembered: sequences
            // only grow within an epoch, and none is accepted out of order, so
            // it is in the log. Its offsets are not known any more; Kafka's
            // clients take DUPLICATE_SEQUENCE_NUMBER as delivered. (Refusing
            // it as out of order, a Java producer retries it until its
            // delivery timeout: its ack was lost when leadership moved after
            // the append, and later batches went to the new leader meanwhile.)
            if (h.base_sequence != expected) {
                // Sequence 0 is left out: a client that started its sequences
                // again in the same epoch must not be told its records are in.
                const int32_t oldest = known->batches[known->head].first_seq;
                const bool older = h.base_sequence > 0 && h.base_sequence < oldest && h.last_sequence() < oldest;
                return fail(older ? errc::duplicate_sequence : errc::out_of_order_sequence);
            }
            next = *known;
        } else if (h.base_sequence != 0) {
            // A new epoch (producer re-initialised) restarts its sequences at 0.
            return fail(errc::out_of_order_sequence);
        }
    }
    next.epoch = h.producer_epoch;
    next.push(meta);
    if (staged)
        *staged = next;
    else
        staged_.emplace_back(h.producer_id, next);
    return outcome{};
}

void producer_state::commit() {
    for (auto& [pid, e] : staged_)
        producers_[pid] = e;
    staged_.clear();
}

void producer_state::apply(const batch_header& h) {
    if (!is_idempotent(h))
        return;
    auto& e = producers_[h.producer_id];
    if (h.producer_epoch != e.epoch) {
        e = entry{};
        e.epoch = h.producer_epoch;
    }
    e.push({h.base_sequence, h.last_sequence(), h.base_offset, h.last_offset()});
}

} // namespace strata::storage
