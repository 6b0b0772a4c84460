"""Order receipts: one file per order, in the blob store or, by default, on local disk."""
