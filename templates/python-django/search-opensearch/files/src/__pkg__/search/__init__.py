"""Order search, `GET /orders/search?q=`: OpenSearch when SEARCH_URL is set, else the database."""
