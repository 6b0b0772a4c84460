-- The orders and their items, on MariaDB or MySQL (InnoDB). Timestamps are DATETIME(6)
-- in UTC: TIMESTAMP would follow the session's time zone and stop in 2038.
CREATE TABLE orders (
    id VARCHAR(36) PRIMARY KEY,
    customer_email VARCHAR(320) NOT NULL,
    status VARCHAR(16) NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE INDEX orders_created_at ON orders (created_at DESC, id DESC);

CREATE TABLE order_items (
    order_id VARCHAR(36) NOT NULL,
    line_number INTEGER NOT NULL,
    sku VARCHAR(64) NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, line_number),
    CONSTRAINT order_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
