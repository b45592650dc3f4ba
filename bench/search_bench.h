#pragma once

// Text search in failed records (issue 16): first page and exact count of a rare term, a term in
// about 1 % of the records and a term only month-old records carry, in either case and matching
// case, beside the same SQL run by the database's client; main's plain scan for comparison; and
// the insert rate of failed records with the search index against without it.

#include "bench_support.h"
#include "connection_url.h"
#include "merge_store.h"
#include "raw_client.h"

namespace mc::bench {

void benchTextSearch(MergeStore &store, const ConnectionUrl &url, const RawClient &raw,
                     int repeat, std::vector<Measurement> &results);

// Inserts `records` failed records the way merge-sim's workers do (one transaction each), with
// the search index and then without it (dropped and built again afterwards), and removes them.
void benchSearchInsertRate(const ConnectionUrl &url, int records,
                           std::vector<Measurement> &results);

} // namespace mc::bench
