-- The order-confirmation job's record, on H2: one row per confirmed order. The key makes
-- the job idempotent; the foreign key drops the row with its order.
CREATE TABLE order_confirmations (
    order_id VARCHAR(36) PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL,
    sent_at TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
