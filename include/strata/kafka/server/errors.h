#pragma once
// The one place module errors become Kafka error codes.

#include "strata/cluster/errc.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/schema/errc.h"
#include "strata/storage/errc.h"

namespace strata::kafka::server {

error_code to_kafka_error(storage::errc e);
error_code to_kafka_error(cluster::errc e);
error_code to_kafka_error(schema::errc e);

} // namespace strata::kafka::server
