-- Opens a new shipping batch; its id becomes the ClickHouse insert's deduplication token.
INSERT INTO ship_batches DEFAULT VALUES RETURNING id
