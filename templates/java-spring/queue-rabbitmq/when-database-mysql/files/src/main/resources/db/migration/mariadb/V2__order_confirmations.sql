-- The order-confirmation job's record, on MariaDB or MySQL: one row per confirmed order,
-- sent_at in UTC. The key makes the job idempotent; the foreign key drops the row with
-- its order.
CREATE TABLE order_confirmations (
    order_id VARCHAR(36) PRIMARY KEY,
    status VARCHAR(16) NOT NULL,
    sent_at DATETIME(3) NOT NULL,
    CONSTRAINT order_confirmations_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
