-- The orders and their items, on H2 (the embedded default).
CREATE TABLE orders (
    id VARCHAR(36) PRIMARY KEY,
    customer_email VARCHAR(320) NOT NULL,
    status VARCHAR(16) NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX orders_created_at ON orders (created_at DESC, id DESC);

CREATE TABLE order_items (
    order_id VARCHAR(36) NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_number INTEGER NOT NULL,
    sku VARCHAR(64) NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, line_number)
);
