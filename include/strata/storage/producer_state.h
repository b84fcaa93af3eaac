#pragma once
// producer_state: what a partition knows about each idempotent producer, to
// reject sequence gaps and stale epochs and to answer retried batches with
// their original offsets (KIP-98 idempotence).
//
// Per producer id: the current epoch and the last five batches appended
// (Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN), as sequence range and
// offset range. A producer id this partition has never seen (or whose state
// was lost) is accepted with any first sequence, as Kafka 2.5+ does after a
// producer's state expired; the producer then continues from there.
//
// Checking is two-phase so one produce payload with several batches is all
// or nothing: check_and_stage() each batch (seeing the batches staged before
// it), then commit() once the bytes are written, or discard().
//
// Owned by its log; used on the partition's thread only. Restored on open
// from the latest producer_snapshot plus a replay of the batch headers after
// it (apply()).

#include <array>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {

class producer_state {
public:
    static constexpr size_t batches_to_retain = 5;

    struct batch_meta {
        int32_t first_seq;
        int32_t last_seq;
        int64_t first_offset;
        int64_t last_offset;
    };
    struct entry {
        int16_t epoch = -1;
        std::array<batch_meta, batches_to_retain> batches{}; // ring, oldest first from `head`
        uint8_t count = 0;
        uint8_t head = 0;

        const batch_meta& last() const { return batches[(head + count - 1) % batches_to_retain]; }
        void push(const batch_meta& m);
    };
    struct outcome {
        bool duplicate = false;
        // For a duplicate, the offsets the original batch was given.
        int64_t first_offset = -1;
        int64_t last_offset = -1;
    };

    // Whether a batch takes part in idempotence checks at all.
    static bool is_idempotent(const batch_header& h) { return h.producer_id >= 0 && !h.is_control(); }

    // Checks a batch that would get offsets [first_offset, last_offset] and,
    // unless it is a duplicate, stages its effect.
    result<outcome, errc> check_and_stage(const batch_header& h, int64_t first_offset, int64_t last_offset);
    void commit();
    void discard() { staged_.clear(); }

    // Records an appended batch without checks (replay on open).
    void apply(const batch_header& h);
    void clear() { producers_.clear(); staged_.clear(); }

    const entry* find(int64_t producer_id) const;
    size_t size() const { return producers_.size(); }

    // For snapshots: visit every producer, and put one back.
    template<class F>
    void for_each(F&& f) const {
        for (const auto& [pid, e] : producers_)
            f(pid, e);
    }
    void restore(int64_t producer_id, const entry& e) { producers_[producer_id] = e; }

private:
    std::unordered_map<int64_t, entry> producers_;
    // Updated copies of entries touched by the append in progress.
    std::vector<std::pair<int64_t, entry>> staged_;
};

} // namespace strata::storage
